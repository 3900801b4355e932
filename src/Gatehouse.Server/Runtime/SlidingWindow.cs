namespace Gatehouse.Server.Runtime;

/// <summary>
/// Two running sums over a sliding time window, kept in ten buckets of a tenth of the window each, so old events
/// fall out in steps of at most a tenth. Thread-safe; timestamps come from the caller's <see cref="TimeProvider"/>.
/// </summary>
public sealed class SlidingWindow
{
    private const int BucketCount = 10;
    private readonly Lock _gate = new();
    private readonly long[] _starts = new long[BucketCount];
    private readonly long[] _first = new long[BucketCount];
    private readonly long[] _second = new long[BucketCount];
    private readonly long _bucketTicks;

    /// <summary>Creates a window <paramref name="window"/> long, measured in <paramref name="time"/>'s timestamps.</summary>
    public SlidingWindow(TimeSpan window, TimeProvider time)
    {
        _bucketTicks = Math.Max(1, (long)(window.TotalSeconds * time.TimestampFrequency / BucketCount));
        Array.Fill(_starts, long.MinValue);
    }

    /// <summary>Adds to the sums at <paramref name="timestamp"/>.</summary>
    public void Add(long timestamp, long first, long second)
    {
        var slot = timestamp / _bucketTicks;
        var index = (int)(((slot % BucketCount) + BucketCount) % BucketCount);
        lock (_gate)
        {
            if (_starts[index] != slot)
            {
                _starts[index] = slot;
                _first[index] = 0;
                _second[index] = 0;
            }

            _first[index] += first;
            _second[index] += second;
        }
    }

    /// <summary>The sums over the window that ends at <paramref name="timestamp"/>.</summary>
    public (long First, long Second) Sum(long timestamp)
    {
        var oldest = (timestamp / _bucketTicks) - BucketCount + 1;
        long first = 0, second = 0;
        lock (_gate)
        {
            for (var i = 0; i < BucketCount; i++)
            {
                if (_starts[i] >= oldest)
                {
                    first += _first[i];
                    second += _second[i];
                }
            }
        }

        return (first, second);
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            Array.Fill(_starts, long.MinValue);
        }
    }
}
