namespace Gatehouse.Server.Inspection;

/// <summary>The recorded result of one guardrail on one stage of one request.</summary>
/// <param name="Guardrail">The guardrail's name.</param>
/// <param name="Stage">The stage it ran on.</param>
/// <param name="Outcome">What it did.</param>
/// <param name="Reason">Why, for anything but a pass.</param>
public sealed record GuardrailVerdict(string Guardrail, GuardrailStage Stage, GuardrailOutcome Outcome, string? Reason);
