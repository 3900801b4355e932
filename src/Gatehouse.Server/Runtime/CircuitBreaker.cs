using Gatehouse.Core;
using Gatehouse.Server.Config;

namespace Gatehouse.Server.Runtime;

/// <summary>
/// The health of one target: closed (traffic flows), open (skipped until the cool-down ends), half-open (one probe
/// request decides). Opens after a number of consecutive upstream failures, when the failed share of attempts over a
/// sliding window reaches the configured error rate, or at once for a provider's Retry-After.
/// </summary>
public sealed class CircuitBreaker
{
    private readonly Lock _gate = new();
    private int _consecutiveFailures;
    private long _openUntil;
    private bool _halfOpen;
    private bool _probeInFlight;
    private SlidingWindow? _outcomes;
    private TimeSpan _outcomesWindow;

    /// <summary>The state as reported to operators.</summary>
    public string State
    {
        get
        {
            lock (_gate)
            {
                return _halfOpen ? "half-open" : _openUntil > 0 ? "open" : "closed";
            }
        }
    }

    /// <summary>How many times the breaker opened.</summary>
    public int Openings { get; private set; }

    /// <summary>Whether a request may use the target now; in half-open state only one probe may.</summary>
    public bool TryAcquire(TimeProvider time, out bool isProbe)
    {
        isProbe = false;
        lock (_gate)
        {
            if (_openUntil == 0)
            {
                return true;
            }

            if (!_halfOpen && time.GetTimestamp() < _openUntil)
            {
                return false;
            }

            _halfOpen = true;
            if (_probeInFlight)
            {
                return false;
            }

            _probeInFlight = true;
            isProbe = true;
            return true;
        }
    }

    /// <summary>When the target may be tried again, if it is open.</summary>
    public TimeSpan? RetryAfter(TimeProvider time)
    {
        lock (_gate)
        {
            return _openUntil == 0 || _halfOpen ? null : time.GetElapsedTime(time.GetTimestamp(), _openUntil);
        }
    }

    /// <summary>Lets another probe through when a probe ended without a verdict (the client went away).</summary>
    public void ReleaseProbe()
    {
        lock (_gate)
        {
            _probeInFlight = false;
        }
    }

    /// <summary>The target answered (even with a client error): it is alive.</summary>
    public void ReportSuccess(CircuitBreakerConfig? config = null, TimeProvider? time = null)
    {
        lock (_gate)
        {
            if (config?.ErrorRate is not null && time is not null)
            {
                Outcomes(config, time).Add(time.GetTimestamp(), 1, 0);
            }

            _consecutiveFailures = 0;
            _openUntil = 0;
            _halfOpen = false;
            _probeInFlight = false;
        }
    }

    /// <summary>The target failed; opens the breaker when the threshold is reached, a probe failed, or the provider asked for a pause.</summary>
    public void ReportFailure(GatewayError error, CircuitBreakerConfig config, TimeProvider time)
    {
        lock (_gate)
        {
            _consecutiveFailures++;
            var now = time.GetTimestamp();
            var rateTripped = false;
            if (config.ErrorRate is { } rate)
            {
                var outcomes = Outcomes(config, time);
                outcomes.Add(now, 1, 1);
                var (attempts, failures) = outcomes.Sum(now);
                rateTripped = attempts >= config.MinRequests && failures >= rate * attempts;
            }

            var pause = error.RetryAfter is { } retryAfter && error.HttpStatus == 429 ? retryAfter : (TimeSpan?)null;
            if (_halfOpen || _consecutiveFailures >= config.Failures || rateTripped || pause is not null)
            {
                var duration = pause ?? config.CoolDown;
                _openUntil = now + (long)(duration.TotalSeconds * time.TimestampFrequency);
                _halfOpen = false;
                _probeInFlight = false;
                _outcomes?.Clear();
                Openings++;
            }
        }
    }

    /// <summary>The attempt outcomes over the configured window (attempts, failures); recreated when the window changes.</summary>
    private SlidingWindow Outcomes(CircuitBreakerConfig config, TimeProvider time)
    {
        if (_outcomes is null || _outcomesWindow != config.Window)
        {
            _outcomes = new SlidingWindow(config.Window, time);
            _outcomesWindow = config.Window;
        }

        return _outcomes;
    }
}
