using Gatehouse.Governance;
using Gatehouse.Governance.RateLimits;

namespace Gatehouse.Storage.Counters;

/// <summary>
/// Shared rate limits with a fallback: while the shared counter is unreachable it refuses (closed) or counts in this
/// replica's memory (open), and uses the shared counter again as soon as it answers.
/// </summary>
public sealed class FailoverRateLimitCounter : IRateLimitCounter
{
    private readonly IRateLimitCounter _shared;
    private readonly IRateLimitCounter _local;
    private readonly CounterHealth _health;

    /// <summary>Creates the counter.</summary>
    public FailoverRateLimitCounter(IRateLimitCounter shared, IRateLimitCounter local, CounterHealth health)
    {
        _shared = shared;
        _local = local;
        _health = health;
    }

    /// <inheritdoc />
    public async ValueTask<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, long cost, CancellationToken cancellationToken)
    {
        try
        {
            var decision = await _shared.TryAcquireAsync(key, rule, cost, cancellationToken);
            _health.Succeeded();
            return decision;
        }
        catch (Exception ex) when (CounterHealth.IsOutage(ex))
        {
            _health.Failed(ex);
            return _health.Mode == CounterFailureMode.Open
                ? await _local.TryAcquireAsync(key, rule, cost, cancellationToken)
                : throw new CountersUnavailableException("Rate-limit counters are unavailable.", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask ChargeAsync(string key, RateLimitRule rule, long cost, CancellationToken cancellationToken)
    {
        try
        {
            await _shared.ChargeAsync(key, rule, cost, cancellationToken);
            _health.Succeeded();
        }
        catch (Exception ex) when (CounterHealth.IsOutage(ex))
        {
            // A correction after the fact: lost while the counter is down, in either mode.
            _health.Failed(ex);
            if (_health.Mode == CounterFailureMode.Open)
            {
                await _local.ChargeAsync(key, rule, cost, cancellationToken);
            }
        }
    }
}
