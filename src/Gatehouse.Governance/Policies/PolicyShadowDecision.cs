namespace Gatehouse.Governance.Policies;

/// <summary>What the decision would have been with every shadow statement (or a shadow set) enforced.</summary>
/// <param name="Allowed">Whether the request would have been allowed.</param>
/// <param name="Basis">Why.</param>
/// <param name="Reason">The message a client would have seen.</param>
/// <param name="DeterminingPolicies">The statements that would have decided.</param>
public sealed record PolicyShadowDecision(bool Allowed, PolicyDecisionBasis Basis, string Reason, IReadOnlyList<string> DeterminingPolicies);
