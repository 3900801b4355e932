using System.Text;

namespace Gatehouse.Server.Telemetry;

/// <summary>A lock-free Prometheus histogram cell with fixed buckets (seconds).</summary>
public sealed class Histogram
{
    /// <summary>Bucket upper bounds in seconds.</summary>
    public static readonly double[] Bounds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumMicros;
    private long _count;

    /// <summary>Records one observation.</summary>
    public void Observe(double seconds)
    {
        var i = 0;
        while (i < Bounds.Length && seconds > Bounds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicros, (long)(seconds * 1_000_000));
        Interlocked.Increment(ref _count);
    }

    /// <summary>Writes the bucket, sum and count lines.</summary>
    public void Write(StringBuilder output, string name, string labels)
    {
        long cumulative = 0;
        var separator = labels.Length > 0 ? "," : string.Empty;
        for (var i = 0; i < Bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            output.Append(name).Append("_bucket{").Append(labels).Append(separator).Append("le=\"")
                .Append(Bounds[i].ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("\"} ").Append(cumulative).Append('\n');
        }

        cumulative += Interlocked.Read(ref _counts[Bounds.Length]);
        output.Append(name).Append("_bucket{").Append(labels).Append(separator).Append("le=\"+Inf\"} ").Append(cumulative).Append('\n');
        output.Append(name).Append("_sum{").Append(labels).Append("} ")
            .Append((Interlocked.Read(ref _sumMicros) / 1_000_000.0).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        output.Append(name).Append("_count{").Append(labels).Append("} ").Append(Interlocked.Read(ref _count)).Append('\n');
    }
}
