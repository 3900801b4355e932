namespace Gatehouse.Governance.Budgets;

/// <summary>
/// Budget counters: atomic reserve before the call, settle after it. In process on one node (persisted through a spend
/// journal), in Redis across replicas.
/// </summary>
public interface IBudgetCounter
{
    /// <summary>Reserves the ask on every budget at once, or on none; clamps output tokens to what all can pay for.</summary>
    ValueTask<BudgetOutcome> TryReserveAsync(IReadOnlyList<BudgetLimit> budgets, BudgetAsk ask, CancellationToken cancellationToken);

    /// <summary>Replaces the reservation with actual usage; returns the soft thresholds this crossed.</summary>
    ValueTask<IReadOnlyList<BudgetAlert>> SettleAsync(BudgetReservation reservation, long actualNanoUsd, long actualTokens, CancellationToken cancellationToken);

    /// <summary>Spend and tokens recorded in a budget's current window.</summary>
    ValueTask<(long NanoUsd, long Tokens)> SpentAsync(BudgetLimit budget, CancellationToken cancellationToken);
}
