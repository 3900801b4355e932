namespace Gatehouse.Server.Runtime;

/// <summary>The verdict of a target's active health checks: healthy until enough consecutive checks fail.</summary>
public sealed class TargetHealth
{
    private readonly Lock _gate = new();
    private int _consecutivePassed;
    private int _consecutiveFailed;

    /// <summary>Whether the target counts as healthy (true until checks say otherwise).</summary>
    public bool Healthy { get; private set; } = true;

    /// <summary>When the last check ended; null before the first.</summary>
    public DateTimeOffset? LastChecked { get; private set; }

    /// <summary>The last failed check's error code; null after a pass.</summary>
    public string? LastError { get; private set; }

    /// <summary>Records a check's outcome; returns whether the healthy verdict changed.</summary>
    public bool Record(bool passed, string? error, int unhealthyAfter, int healthyAfter, DateTimeOffset at)
    {
        lock (_gate)
        {
            LastChecked = at;
            LastError = passed ? null : error;
            var was = Healthy;
            if (passed)
            {
                _consecutiveFailed = 0;
                if (++_consecutivePassed >= healthyAfter)
                {
                    Healthy = true;
                }
            }
            else
            {
                _consecutivePassed = 0;
                if (++_consecutiveFailed >= unhealthyAfter)
                {
                    Healthy = false;
                }
            }

            return was != Healthy;
        }
    }
}
