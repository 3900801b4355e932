using Gatehouse.Inspection;
using Gatehouse.Inspection.Tools;

namespace Gatehouse.Server.Inspection;

/// <summary>Checks tool calls the model emits against allowed and denied names and argument constraints.</summary>
public sealed class ToolPolicyGuardrailDetector : IGuardrailDetector
{
    private readonly ToolCallPolicy _policy;

    /// <summary>Wraps a compiled policy.</summary>
    public ToolPolicyGuardrailDetector(ToolCallPolicy policy) => _policy = policy;

    /// <inheritdoc />
    public ITextDetector? Spans => null;

    /// <inheritdoc />
    public bool IsExternal => false;

    /// <inheritdoc />
    public ValueTask<Verdict> CheckAsync(GuardrailSubject subject, CancellationToken cancellationToken) =>
        ValueTask.FromResult(subject.ToolName is null ? Verdict.Pass : _policy.Evaluate(subject.ToolName, subject.Text));
}
