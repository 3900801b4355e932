namespace Gatehouse.Governance.Policies;

/// <summary>How one statement fared for one request.</summary>
/// <param name="Statement">The statement.</param>
/// <param name="PrincipalMatched">Whether the principal was in its principal scope.</param>
/// <param name="ActionMatched">Whether the action was in its action scope.</param>
/// <param name="ResourceMatched">Whether the resource was in its resource scope.</param>
/// <param name="Condition">What its condition gave (not evaluated unless all three scopes matched).</param>
/// <param name="ConditionError">Why the condition failed, when it did.</param>
/// <param name="Determining">Whether it is among the statements that decided the enforced verdict.</param>
/// <param name="DeterminingShadow">Whether it is among the statements that decided the shadow verdict.</param>
public sealed record StatementExplanation(
    PolicyStatement Statement,
    bool PrincipalMatched,
    bool ActionMatched,
    bool ResourceMatched,
    ConditionResult Condition,
    string? ConditionError,
    bool Determining,
    bool DeterminingShadow)
{
    /// <summary>Whether principal, action and resource all matched.</summary>
    public bool ScopeMatched => PrincipalMatched && ActionMatched && ResourceMatched;

    /// <summary>Whether the statement applies: scope matched and the condition is absent, true, or failed on a forbid.</summary>
    public bool Applies => ScopeMatched && (Condition is ConditionResult.Absent or ConditionResult.True
        || (Condition == ConditionResult.Error && Statement.Effect == PolicyEffect.Forbid));
}
