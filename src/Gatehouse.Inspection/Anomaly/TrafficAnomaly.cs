namespace Gatehouse.Inspection.Anomaly;

/// <summary>A deviation from an identity's baseline.</summary>
/// <param name="Identity">Whose traffic (<c>key:…</c>, <c>agent:…</c>, <c>team:…</c>).</param>
/// <param name="Signal">What deviated: <c>requests</c>, <c>tokens</c>, <c>cost</c>, <c>errors</c>, <c>guardrail_hits</c>, <c>new_model</c>, <c>new_tool</c>.</param>
/// <param name="Score">Robust deviations above the baseline (1 for new models and tools).</param>
/// <param name="Reason">A sentence for people.</param>
/// <param name="At">When it was detected.</param>
public sealed record TrafficAnomaly(string Identity, string Signal, double Score, string Reason, DateTimeOffset At);
