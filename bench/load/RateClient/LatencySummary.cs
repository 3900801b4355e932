using System.Diagnostics;

namespace Gatehouse.Bench.RateClient;

/// <summary>Nearest-rank percentiles of a set of durations, in microseconds.</summary>
internal sealed class LatencySummary
{
    private readonly double[] _sortedMicroseconds;

    private LatencySummary(double[] sortedMicroseconds) => _sortedMicroseconds = sortedMicroseconds;

    /// <summary>How many durations were recorded.</summary>
    public int Count => _sortedMicroseconds.Length;

    /// <summary>Summarizes the recorded durations (Stopwatch ticks); entries below zero mean "not recorded" and are skipped.</summary>
    public static LatencySummary FromTicks(long[] ticks)
    {
        var values = new List<double>(ticks.Length);
        foreach (var t in ticks)
        {
            if (t >= 0)
            {
                values.Add(t * 1e6 / Stopwatch.Frequency);
            }
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(sorted);
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0 &lt; p ≤ 100), or NaN when nothing was recorded.</summary>
    public double Percentile(double p)
    {
        if (_sortedMicroseconds.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * _sortedMicroseconds.Length);
        return _sortedMicroseconds[Math.Clamp(rank - 1, 0, _sortedMicroseconds.Length - 1)];
    }

    /// <summary>The largest duration, or NaN when nothing was recorded.</summary>
    public double Max => _sortedMicroseconds.Length == 0 ? double.NaN : _sortedMicroseconds[^1];

    /// <summary>The mean duration, or NaN when nothing was recorded.</summary>
    public double Mean => _sortedMicroseconds.Length == 0 ? double.NaN : _sortedMicroseconds.Average();
}
