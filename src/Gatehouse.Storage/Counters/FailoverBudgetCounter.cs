using Gatehouse.Governance;
using Gatehouse.Governance.Budgets;

namespace Gatehouse.Storage.Counters;

/// <summary>
/// Shared budgets with a fallback (see <see cref="FailoverRateLimitCounter"/>). A reservation made locally during an
/// outage (it has no lease) is settled locally; the journal keeps its spend either way.
/// </summary>
public sealed class FailoverBudgetCounter : IBudgetCounter
{
    private readonly IBudgetCounter _shared;
    private readonly IBudgetCounter _local;
    private readonly CounterHealth _health;

    /// <summary>Creates the counter.</summary>
    public FailoverBudgetCounter(IBudgetCounter shared, IBudgetCounter local, CounterHealth health)
    {
        _shared = shared;
        _local = local;
        _health = health;
    }

    /// <inheritdoc />
    public async ValueTask<BudgetOutcome> TryReserveAsync(IReadOnlyList<BudgetLimit> budgets, BudgetAsk ask, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await _shared.TryReserveAsync(budgets, ask, cancellationToken);
            _health.Succeeded();
            return outcome;
        }
        catch (Exception ex) when (CounterHealth.IsOutage(ex))
        {
            _health.Failed(ex);
            return _health.Mode == CounterFailureMode.Open
                ? await _local.TryReserveAsync(budgets, ask, cancellationToken)
                : throw new CountersUnavailableException("Budget counters are unavailable.", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BudgetAlert>> SettleAsync(BudgetReservation reservation, long actualNanoUsd, long actualTokens, CancellationToken cancellationToken)
    {
        if (reservation.Lease is null)
        {
            return await _local.SettleAsync(reservation, actualNanoUsd, actualTokens, cancellationToken);
        }

        try
        {
            var alerts = await _shared.SettleAsync(reservation, actualNanoUsd, actualTokens, cancellationToken);
            _health.Succeeded();
            return alerts;
        }
        catch (Exception ex) when (CounterHealth.IsOutage(ex))
        {
            // The spend is journaled already; the reservation's lease expires by itself.
            _health.Failed(ex);
            return [];
        }
    }

    /// <inheritdoc />
    public async ValueTask<(long NanoUsd, long Tokens)> SpentAsync(BudgetLimit budget, CancellationToken cancellationToken)
    {
        try
        {
            return await _shared.SpentAsync(budget, cancellationToken);
        }
        catch (Exception ex) when (CounterHealth.IsOutage(ex))
        {
            _health.Failed(ex);
            return await _local.SpentAsync(budget, cancellationToken);
        }
    }
}
