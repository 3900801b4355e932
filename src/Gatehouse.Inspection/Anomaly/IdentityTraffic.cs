namespace Gatehouse.Inspection.Anomaly;

/// <summary>The state of one identity: the current bucket's counts, a baseline per signal, the models and tools seen.</summary>
internal sealed class IdentityTraffic
{
    public const int Signals = 5;

    /// <summary>The most models and tools remembered per identity (clients choose the names): past it, none is flagged new.</summary>
    public const int MaxNames = 1_000;

    private static readonly string[] Names = ["requests", "tokens", "cost", "errors", "guardrail_hits"];

    public long BucketStart;
    public int BucketsSeen;
    public readonly double[] Current = new double[Signals];
    public readonly Baseline[] Baselines = new Baseline[Signals];
    public readonly bool[] FlaggedThisBucket = new bool[Signals];
    public readonly HashSet<string> Models = new(StringComparer.Ordinal);
    public readonly HashSet<string> Tools = new(StringComparer.Ordinal);

    public static string Name(int signal) => Names[signal];

    /// <summary>Closes every bucket that ended before <paramref name="bucketStart"/> (empty ones count as zeros, at most 120).</summary>
    public void Roll(long bucketStart, long bucketTicks, double alpha)
    {
        if (BucketStart == 0)
        {
            BucketStart = bucketStart;
            return;
        }

        var elapsed = Math.Min(120, (bucketStart - BucketStart) / bucketTicks);
        for (var i = 0; i < elapsed; i++)
        {
            for (var s = 0; s < Signals; s++)
            {
                Baselines[s].Update(i == 0 ? Current[s] : 0, alpha);
                FlaggedThisBucket[s] = false;
            }

            if (i == 0)
            {
                Array.Clear(Current);
            }

            BucketsSeen++;
        }

        if (elapsed > 0)
        {
            BucketStart = bucketStart;
        }
    }
}
