namespace Gatehouse.Inspection.Structured;

/// <summary>The outcome of validating JSON against a schema.</summary>
/// <param name="IsValid">True when the text is JSON and satisfies the schema.</param>
/// <param name="Errors">Every failure found; empty when valid.</param>
public sealed record StructuredOutputResult(bool IsValid, IReadOnlyList<SchemaError> Errors)
{
    /// <summary>A verdict for the gateway: pass, or a violation listing the first errors.</summary>
    public Verdict ToVerdict()
    {
        if (IsValid)
        {
            return Verdict.Pass;
        }

        var first = Errors.Count > 0 ? $"{(Errors[0].InstancePointer.Length == 0 ? "/" : Errors[0].InstancePointer)}: {Errors[0].Message}" : "invalid";
        return Verdict.Violation($"output does not match the schema ({Errors.Count} error(s); first at {first})");
    }
}
