using Gatehouse.Core;

namespace Gatehouse.Server.Inspection;

/// <summary>The result of running guardrails on a request or an answer.</summary>
/// <param name="Modified">True when a redaction rewrote the content (so it must be re-encoded).</param>
/// <param name="Refusal">The error to answer with instead, when a guardrail blocked or failed closed.</param>
/// <param name="RoutedBy">For an answer: the guardrail whose <c>route</c> verdict rejected it, so the request is served again by its <c>route_to</c> model.</param>
public readonly record struct ScanResult(bool Modified, GatewayError? Refusal, CompiledGuardrail? RoutedBy = null);
