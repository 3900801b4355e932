using Cel;

namespace Gatehouse.Governance.Policies;

/// <summary>A compiled CEL <c>when</c> condition of a statement.</summary>
public sealed class PolicyCondition
{
    private readonly CelProgramDelegate _program;

    internal PolicyCondition(string source, CelProgramDelegate program, FastCondition? fast = null)
    {
        Source = source;
        _program = program;
        Fast = fast;
    }

    /// <summary>The same condition compiled to read the request directly, when it is in the common subset of CEL.</summary>
    internal FastCondition? Fast { get; }

    /// <summary>The CEL text as written in the policy.</summary>
    public string Source { get; }

    /// <summary>Evaluates the condition over the request's variables; <paramref name="error"/> says why when the result is <see cref="ConditionResult.Error"/>.</summary>
    internal ConditionResult Evaluate(IDictionary<string, object?> variables, out string? error)
    {
        object? value;
        try
        {
            value = _program(variables);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The Cel package reports a missing attribute, a type mismatch or a bad conversion by throwing (CelException and
            // plain .NET exceptions alike); all of them mean
            // "this condition cannot be decided for this request", which the caller turns into fail-open or fail-closed.
            error = ex.Message;
            return ConditionResult.Error;
        }

        if (value is bool result)
        {
            error = null;
            return result ? ConditionResult.True : ConditionResult.False;
        }

        error = $"the condition gave {(value is null ? "null" : value.GetType().Name)} instead of true or false";
        return ConditionResult.Error;
    }

    /// <inheritdoc />
    public override string ToString() => Source;
}
