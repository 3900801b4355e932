namespace Gatehouse.Governance.Policies;

/// <summary>One authorization question: may this principal perform this action on this resource, in this context?</summary>
public sealed class PolicyRequest
{
    /// <summary>Who asks: the most specific identity (a key, an agent, a user).</summary>
    public required EntityRef Principal { get; init; }

    /// <summary>
    /// The entities the principal belongs to, nearest first (key → agent/user → team → org). The caller resolves the
    /// hierarchy; <c>in Team::x</c> matches when <c>Team::x</c> is the principal itself or in this list.
    /// </summary>
    public IReadOnlyList<EntityRef> PrincipalAncestors { get; init; } = [];

    /// <summary>Tags on the principal (<c>principal.tags</c>).</summary>
    public IReadOnlyList<string> PrincipalTags { get; init; } = [];

    /// <summary>Roles of the principal (<c>principal.roles</c>).</summary>
    public IReadOnlyList<string> PrincipalRoles { get; init; } = [];

    /// <summary>The action, one of <see cref="PolicyActions.All"/>.</summary>
    public required string Action { get; init; }

    /// <summary>What is acted on.</summary>
    public required EntityRef Resource { get; init; }

    /// <summary>The entities containing the resource (a model's groups and provider; a tool's MCP server).</summary>
    public IReadOnlyList<EntityRef> ResourceParents { get; init; } = [];

    /// <summary>Tags on the resource (<c>resource.tags</c>).</summary>
    public IReadOnlyList<string> ResourceTags { get; init; } = [];

    /// <summary>Facts about the request.</summary>
    public required PolicyContext Context { get; init; }
}
