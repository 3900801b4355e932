namespace Gatehouse.Inspection.Anomaly;

/// <summary>How the per-identity traffic baselines are kept and when a deviation counts as an anomaly.</summary>
public sealed class AnomalyOptions
{
    /// <summary>The length of one observation bucket.</summary>
    public TimeSpan Bucket { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>EWMA weight of the newest bucket (0–1).</summary>
    public double Alpha { get; init; } = 0.1;

    /// <summary>How many robust deviations above the baseline a bucket must be to be flagged.</summary>
    public double Threshold { get; init; } = 6;

    /// <summary>Buckets an identity must have been observed for before it can be flagged.</summary>
    public int WarmupBuckets { get; init; } = 5;

    /// <summary>The smallest request count in one bucket that can be a rate anomaly (tiny baselines are noisy).</summary>
    public double MinRequests { get; init; } = 20;

    /// <summary>The smallest token count in one bucket that can be a token anomaly.</summary>
    public double MinTokens { get; init; } = 20_000;

    /// <summary>The smallest cost in USD in one bucket that can be a cost anomaly.</summary>
    public double MinCostUsd { get; init; } = 0.5;

    /// <summary>Whether a model or tool never used before (after warm-up) is flagged.</summary>
    public bool FlagNewModelsAndTools { get; init; } = true;
}
