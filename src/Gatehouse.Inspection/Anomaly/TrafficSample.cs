namespace Gatehouse.Inspection.Anomaly;

/// <summary>One finished request as the anomaly detector sees it.</summary>
/// <param name="Tokens">Input plus output tokens.</param>
/// <param name="CostUsd">Cost, zero when unpriced.</param>
/// <param name="Failed">Whether the request ended in an error.</param>
/// <param name="GuardrailHits">Guardrails that blocked, redacted or flagged it.</param>
/// <param name="Model">The model name asked for.</param>
/// <param name="Tools">Tool names the request offered or called.</param>
public readonly record struct TrafficSample(long Tokens, double CostUsd, bool Failed, int GuardrailHits, string? Model, IReadOnlyList<string>? Tools = null);
