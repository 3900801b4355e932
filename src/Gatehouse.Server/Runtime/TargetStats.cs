namespace Gatehouse.Server.Runtime;

/// <summary>Live load and latency of one target, for the load-balancing strategies and operators.</summary>
public sealed class TargetStats
{
    private const double Smoothing = 0.2;
    private readonly Lock _gate = new();
    private long _inFlight;
    private double _latencyMs = double.NaN;

    /// <summary>Attempts under way now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Exponentially weighted moving average of successful attempts' latency in ms; NaN before the first.</summary>
    public double LatencyMs
    {
        get
        {
            lock (_gate)
            {
                return _latencyMs;
            }
        }
    }

    /// <summary>An attempt starts.</summary>
    public void Started() => Interlocked.Increment(ref _inFlight);

    /// <summary>An attempt ended; <paramref name="latency"/> is recorded when it succeeded.</summary>
    public void Finished(TimeSpan? latency)
    {
        Interlocked.Decrement(ref _inFlight);
        if (latency is not { } value)
        {
            return;
        }

        lock (_gate)
        {
            _latencyMs = double.IsNaN(_latencyMs) ? value.TotalMilliseconds : (Smoothing * value.TotalMilliseconds) + ((1 - Smoothing) * _latencyMs);
        }
    }
}
