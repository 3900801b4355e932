using System.Globalization;

namespace Gatehouse.Bench.RateClient;

/// <summary>What one run measured.</summary>
internal sealed class RunResult
{
    /// <summary>Requests sent in the measured phase.</summary>
    public required long Sent { get; init; }

    /// <summary>Measured requests that failed (transport error, timeout, non-2xx, or body without the expected text).</summary>
    public required long Failed { get; init; }

    /// <summary>Warm-up requests that failed.</summary>
    public required long WarmupFailed { get; init; }

    /// <summary>Workers still waiting for an answer when the run gave up waiting for them.</summary>
    public required long Unfinished { get; init; }

    /// <summary>The first failure's reason, if any.</summary>
    public required string? FirstFailure { get; init; }

    /// <summary>The rate at which measured requests actually left (should equal the target rate).</summary>
    public required double SentPerSecond { get; init; }

    /// <summary>Scheduled start to last byte of the answer.</summary>
    public required LatencySummary Total { get; init; }

    /// <summary>Scheduled start to response headers.</summary>
    public required LatencySummary FirstByte { get; init; }

    /// <summary>The client's own lateness: from when it could have sent (the slot, or the end of the previous answer on that connection) to the send.</summary>
    public required LatencySummary SendLag { get; init; }

    /// <summary>One line of key=value pairs for scripts.</summary>
    public string ToKeyValues() => string.Create(
        CultureInfo.InvariantCulture,
        $"sent={Sent} ok={Total.Count} failed={Failed} warmup_failed={WarmupFailed} unfinished={Unfinished} " +
        $"sent_rps={SentPerSecond:F1} " +
        $"p50_us={Total.Percentile(50):F1} p90_us={Total.Percentile(90):F1} p99_us={Total.Percentile(99):F1} " +
        $"p999_us={Total.Percentile(99.9):F1} max_us={Total.Max:F1} mean_us={Total.Mean:F1} " +
        $"ttfb_p50_us={FirstByte.Percentile(50):F1} ttfb_p99_us={FirstByte.Percentile(99):F1} " +
        $"lag_p50_us={SendLag.Percentile(50):F1} lag_p99_us={SendLag.Percentile(99):F1} lag_max_us={SendLag.Max:F1}");
}
