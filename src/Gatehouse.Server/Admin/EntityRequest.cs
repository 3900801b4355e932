namespace Gatehouse.Server.Admin;

/// <summary>The body that creates an organization, team, user or agent.</summary>
public sealed class EntityRequest
{
    /// <summary>Unique id (lowercase letters, digits, '.', '_', '-', '@').</summary>
    public string? Id { get; set; }

    /// <summary>Display name.</summary>
    public string? Name { get; set; }

    /// <summary>Organization (teams, users, agents).</summary>
    public string? OrgId { get; set; }

    /// <summary>Team (users, agents).</summary>
    public string? TeamId { get; set; }

    /// <summary>For agents: the user the agent acts for.</summary>
    public string? ParentUserId { get; set; }

    /// <summary>Tags.</summary>
    public List<string>? Tags { get; set; }
}
