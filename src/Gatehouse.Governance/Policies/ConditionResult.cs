namespace Gatehouse.Governance.Policies;

/// <summary>What a statement's <c>when</c> condition gave for one request.</summary>
public enum ConditionResult
{
    /// <summary>The statement has no condition, so it always applies once its scope matches.</summary>
    Absent,

    /// <summary>The condition was true.</summary>
    True,

    /// <summary>The condition was false.</summary>
    False,

    /// <summary>The condition failed (missing attribute, wrong type, non-boolean result): a permit does not apply, a forbid does (fail closed).</summary>
    Error,

    /// <summary>The condition was not evaluated because the statement's scope did not match.</summary>
    NotEvaluated,
}
