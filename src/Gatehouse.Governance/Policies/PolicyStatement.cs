namespace Gatehouse.Governance.Policies;

/// <summary>One compiled permit or forbid statement.</summary>
public sealed class PolicyStatement
{
    /// <summary>Unique id, named in decisions and audit records.</summary>
    public required string Id { get; init; }

    /// <summary>Permit or forbid.</summary>
    public required PolicyEffect Effect { get; init; }

    /// <summary>Enforced or shadow.</summary>
    public PolicyMode Mode { get; init; } = PolicyMode.Enforce;

    /// <summary>The principals it applies to.</summary>
    public required EntityScope Principal { get; init; }

    /// <summary>The actions it applies to.</summary>
    public required ActionScope Action { get; init; }

    /// <summary>The resources it applies to.</summary>
    public required EntityScope Resource { get; init; }

    /// <summary>The optional condition; null means the statement applies whenever its scope matches.</summary>
    public PolicyCondition? Condition { get; init; }

    /// <summary>Why the statement exists; a forbid's description is shown in the denial message.</summary>
    public string? Description { get; init; }

    /// <summary>Where it was written (<c>file:line</c>), for explanations.</summary>
    public string? Origin { get; init; }

    /// <summary>Whether the principal and resource of <paramref name="request"/> are in scope (the action is checked by the index).</summary>
    public bool ScopeMatches(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Principal.Matches(request.Principal, request.PrincipalAncestors)
            && Resource.Matches(request.Resource, request.ResourceParents);
    }
}
