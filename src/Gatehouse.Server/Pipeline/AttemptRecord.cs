namespace Gatehouse.Server.Pipeline;

/// <summary>One upstream attempt of a request, for the request log: which target, how it ended, how long it took.</summary>
/// <param name="Target">The target's name (<c>provider/model</c>, with <c>@region</c> or <c>#n</c> when overridden).</param>
/// <param name="Status">The upstream HTTP status, 200 on success; 0 when no answer arrived (connect error, timeout).</param>
/// <param name="LatencyMs">Time from send to the attempt's end (the first byte for a stream that was committed).</param>
/// <param name="ErrorCode">The error code when it failed.</param>
/// <param name="ErrorClass">The failure class (<c>connect</c>, <c>timeout</c>, <c>429</c>, <c>5xx</c>, <c>context_length</c>, <c>content_policy</c>, <c>client</c>; <c>cancelled</c> for the losing attempt of a hedge).</param>
/// <param name="Hedge">Whether it was a hedge sent while another attempt was still running.</param>
public sealed record AttemptRecord(string Target, int Status, double LatencyMs, string? ErrorCode, string? ErrorClass, bool Hedge);

/// <summary>A target not tried, and why: <c>breaker_open</c>, <c>unhealthy</c>, <c>over_quota</c> or <c>deadline</c>.</summary>
public sealed record SkippedTarget(string Target, string Reason);
