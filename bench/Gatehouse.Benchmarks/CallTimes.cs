using System.Diagnostics;
using System.Runtime;

namespace Gatehouse.Benchmarks;

/// <summary>Times calls one by one with the stopwatch after a warm-up, for the distributions BenchmarkDotNet does not print.</summary>
public static class CallTimes
{
    /// <summary>How long the JIT must have compiled nothing before the timed calls start.</summary>
    public static readonly TimeSpan JitQuiet = TimeSpan.FromSeconds(1);

    /// <summary>The longest warm-up.</summary>
    public static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(30);

    /// <summary>How long the last warm-up took.</summary>
    public static TimeSpan LastWarmUp { get; private set; }

    /// <summary>
    /// Runs <paramref name="action"/> for at least <paramref name="warmUp"/> and until the JIT has compiled no method
    /// for <see cref="JitQuiet"/> (at most <see cref="MaxWarmUp"/>), then <paramref name="iterations"/> timed times;
    /// returns each call's time in µs, sorted. Waiting for the JIT keeps its background recompilation (tier-0 code
    /// being replaced by optimized code for seconds after start, longer on a busy machine) out of the timed calls: the
    /// gateway ships as Native AOT, where no JIT runs.
    /// </summary>
    public static async Task<double[]> MeasureAsync(int iterations, TimeSpan warmUp, Func<ValueTask> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var watch = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        var quietSince = TimeSpan.Zero;
        while (watch.Elapsed < MaxWarmUp && (watch.Elapsed < warmUp || watch.Elapsed - quietSince < JitQuiet))
        {
            await action();
            if (JitInfo.GetCompiledMethodCount() is var now && now != compiled)
            {
                compiled = now;
                quietSince = watch.Elapsed;
            }
        }

        LastWarmUp = watch.Elapsed;

        var ticks = new long[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(ticks);
        return Array.ConvertAll(ticks, t => t * 1e6 / Stopwatch.Frequency);
    }

    /// <summary>The <paramref name="quantile"/> (0 to 1) of sorted times: the smallest time that many of the calls took at most.</summary>
    public static double At(double[] sorted, double quantile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
