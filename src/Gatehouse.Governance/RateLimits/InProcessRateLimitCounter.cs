using System.Collections.Concurrent;

namespace Gatehouse.Governance.RateLimits;

/// <summary>Rate-limit state of one gateway process: one TAT per key, updated under a per-key lock.</summary>
public sealed class InProcessRateLimitCounter : IRateLimitCounter
{
    private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the counter on the given clock.</summary>
    public InProcessRateLimitCounter(TimeProvider time) => _time = time;

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, long cost, CancellationToken cancellationToken)
    {
        var cell = _cells.GetOrAdd(key, static _ => new Cell());
        lock (cell)
        {
            return ValueTask.FromResult(Gcra.Acquire(ref cell.Tat, _time.GetUtcNow().UtcTicks, rule, cost));
        }
    }

    /// <inheritdoc />
    public ValueTask ChargeAsync(string key, RateLimitRule rule, long cost, CancellationToken cancellationToken)
    {
        var cell = _cells.GetOrAdd(key, static _ => new Cell());
        lock (cell)
        {
            Gcra.Charge(ref cell.Tat, _time.GetUtcNow().UtcTicks, rule, cost);
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Cell
    {
        public long Tat;
    }
}
