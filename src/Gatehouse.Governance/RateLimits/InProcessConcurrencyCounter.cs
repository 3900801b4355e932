using System.Collections.Concurrent;

namespace Gatehouse.Governance.RateLimits;

/// <summary>Concurrent-request counts of one gateway process.</summary>
public sealed class InProcessConcurrencyCounter : IConcurrencyCounter
{
    private readonly ConcurrentDictionary<string, Count> _counts = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<bool> TryEnterAsync(string key, long max, CancellationToken cancellationToken)
    {
        var count = _counts.GetOrAdd(key, static _ => new Count());
        if (Interlocked.Increment(ref count.Value) <= max)
        {
            return ValueTask.FromResult(true);
        }

        Interlocked.Decrement(ref count.Value);
        return ValueTask.FromResult(false);
    }

    /// <inheritdoc />
    public ValueTask ExitAsync(string key)
    {
        if (_counts.TryGetValue(key, out var count))
        {
            Interlocked.Decrement(ref count.Value);
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Count
    {
        public long Value;
    }
}
