namespace Gatehouse.Storage.Governance;

/// <summary>An organization, team, user or agent: a node of the governance hierarchy.</summary>
public sealed record DirectoryEntity
{
    /// <summary>Which kind of entity.</summary>
    public required EntityKind Kind { get; init; }

    /// <summary>Unique id within its kind (lowercase letters, digits, '-', '_', '.', '@').</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>The organization it belongs to (teams, users, agents).</summary>
    public string? OrgId { get; init; }

    /// <summary>The team it belongs to (users, agents).</summary>
    public string? TeamId { get; init; }

    /// <summary>For agents: the user the agent acts for.</summary>
    public string? ParentUserId { get; init; }

    /// <summary>Free-form tags usable in policies.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
