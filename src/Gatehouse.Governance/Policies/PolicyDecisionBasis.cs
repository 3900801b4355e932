namespace Gatehouse.Governance.Policies;

/// <summary>Why a decision came out the way it did.</summary>
public enum PolicyDecisionBasis
{
    /// <summary>At least one permit matched and no forbid did.</summary>
    Permitted,

    /// <summary>At least one forbid matched (or failed to evaluate, which counts as matching).</summary>
    Forbidden,

    /// <summary>No statement permits the request: default deny.</summary>
    NoPermit,

    /// <summary>The action is not one of <see cref="PolicyActions.All"/>: denied.</summary>
    UnknownAction,

    /// <summary>The set has no enforced statement (empty, or everything in shadow mode), so nothing is enforced: allowed.</summary>
    NotEnforced,
}
