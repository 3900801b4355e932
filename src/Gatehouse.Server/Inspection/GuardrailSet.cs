namespace Gatehouse.Server.Inspection;

/// <summary>The compiled guardrails of one configuration snapshot; <see cref="Empty"/> when none are configured, which costs nothing per request.</summary>
public sealed class GuardrailSet
{
    /// <summary>Creates a set.</summary>
    public GuardrailSet(IReadOnlyList<CompiledGuardrail> all)
    {
        All = all;
        foreach (var guardrail in all)
        {
            Stages |= guardrail.Stages;
        }
    }

    /// <summary>No guardrails.</summary>
    public static GuardrailSet Empty { get; } = new([]);

    /// <summary>Every guardrail, in configuration order (the order they run in).</summary>
    public IReadOnlyList<CompiledGuardrail> All { get; }

    /// <summary>The union of the stages of all guardrails.</summary>
    public GuardrailStage Stages { get; }

    /// <summary>Whether any guardrail applies to one of <paramref name="stages"/>.</summary>
    public bool Any(GuardrailStage stages) => (Stages & stages) != 0;
}
