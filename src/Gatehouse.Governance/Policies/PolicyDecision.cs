namespace Gatehouse.Governance.Policies;

/// <summary>The answer to a <see cref="PolicyRequest"/>: the enforced verdict, the statements behind it and any shadow verdict.</summary>
public sealed class PolicyDecision
{
    private static readonly IReadOnlyList<PolicyConditionError> NoErrors = [];

    /// <summary>Whether the request may proceed. When false, answer 403 with <see cref="Reason"/>.</summary>
    public required bool Allowed { get; init; }

    /// <summary>Why, as a category.</summary>
    public required PolicyDecisionBasis Basis { get; init; }

    /// <summary>A message fit for a 403 body and the audit trail, naming the deciding statements.</summary>
    public required string Reason { get; init; }

    /// <summary>The ids of the statements that decided: the matching forbids of a denial, the matching permits of an allow; empty for a default deny.</summary>
    public required IReadOnlyList<string> DeterminingPolicies { get; init; }

    /// <summary>Conditions that failed to evaluate; each also counts in the verdict (permit: not matching, forbid: matching).</summary>
    public IReadOnlyList<PolicyConditionError> Errors { get; init; } = NoErrors;

    /// <summary>What would have happened with shadow statements enforced; null when the set has no shadow statement.</summary>
    public PolicyShadowDecision? Shadow { get; init; }

    /// <summary>Whether a shadow verdict exists and disagrees with the enforced one: the thing to look at before switching a shadow policy on.</summary>
    public bool ShadowDiffers => Shadow is { } shadow && shadow.Allowed != Allowed;
}
