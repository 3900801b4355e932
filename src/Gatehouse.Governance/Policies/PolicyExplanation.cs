namespace Gatehouse.Governance.Policies;

/// <summary>A decision together with how every statement of the set fared: the data behind <c>gatehouse policy test</c>.</summary>
/// <param name="Request">The request explained.</param>
/// <param name="Decision">The decision, exactly as <see cref="PolicySet.Evaluate"/> gives it.</param>
/// <param name="Statements">One row per statement, in set order.</param>
public sealed record PolicyExplanation(PolicyRequest Request, PolicyDecision Decision, IReadOnlyList<StatementExplanation> Statements);
