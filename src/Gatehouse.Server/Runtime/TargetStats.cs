namespace Gatehouse.Server.Runtime;

/// <summary>Live load, latency and outcome counts of one target, for the load-balancing strategies, hedging and operators.</summary>
public sealed class TargetStats
{
    private const double Smoothing = 0.2;
    private const int Samples = 64;
    private readonly Lock _gate = new();
    private readonly double[] _recent = new double[Samples];
    private int _recentCount;
    private int _recentNext;
    private long _inFlight;
    private long _attempts;
    private long _failures;
    private double _latencyMs = double.NaN;

    /// <summary>Attempts under way now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Attempts made since start.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Attempts that failed since start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

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
    public void Started()
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _attempts);
    }

    /// <summary>An attempt ended; <paramref name="latency"/> is recorded when it succeeded, null means it failed.</summary>
    public void Finished(TimeSpan? latency)
    {
        Interlocked.Decrement(ref _inFlight);
        if (latency is not { } value)
        {
            Interlocked.Increment(ref _failures);
            return;
        }

        var ms = value.TotalMilliseconds;
        lock (_gate)
        {
            _latencyMs = double.IsNaN(_latencyMs) ? ms : (Smoothing * ms) + ((1 - Smoothing) * _latencyMs);
            _recent[_recentNext] = ms;
            _recentNext = (_recentNext + 1) % Samples;
            _recentCount = Math.Min(_recentCount + 1, Samples);
        }
    }

    /// <summary>An attempt ended without a verdict on the target (the client went away).</summary>
    public void Abandoned() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Copies the recent successful latencies (ms, up to 64) into <paramref name="into"/>.</summary>
    public void CopyRecentLatencies(List<double> into)
    {
        lock (_gate)
        {
            for (var i = 0; i < _recentCount; i++)
            {
                into.Add(_recent[i]);
            }
        }
    }
}
