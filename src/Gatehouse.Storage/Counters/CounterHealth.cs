using StackExchange.Redis;

namespace Gatehouse.Storage.Counters;

/// <summary>
/// Whether the shared counters answered last time, and the failure mode to apply when they do not. Raises
/// <see cref="Changed"/> once per outage and once per recovery, so the host logs transitions rather than every call.
/// </summary>
public sealed class CounterHealth
{
    private int _down;

    /// <summary>Creates the tracker.</summary>
    public CounterHealth(CounterFailureMode mode) => Mode = mode;

    /// <summary>What to do while the counters are down.</summary>
    public CounterFailureMode Mode { get; }

    /// <summary>Whether the last call failed.</summary>
    public bool IsDown => Volatile.Read(ref _down) != 0;

    /// <summary>Raised with the failure (or null on recovery) when availability changes.</summary>
    public event Action<Exception?>? Changed;

    /// <summary>Whether an exception means the counters are unreachable (rather than a bug).</summary>
    public static bool IsOutage(Exception exception) => exception is RedisException or TimeoutException;

    /// <summary>Records a successful call.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _down) != 0 && Interlocked.Exchange(ref _down, 0) != 0)
        {
            Changed?.Invoke(null);
        }
    }

    /// <summary>Records an outage.</summary>
    public void Failed(Exception exception)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            Changed?.Invoke(exception);
        }
    }
}
