namespace Gatehouse.Storage.Governance;

/// <summary>A virtual API key as stored: its hash, never the key.</summary>
public sealed record ApiKeyRecord
{
    /// <summary>The key's public lookup prefix, also its id.</summary>
    public required string Id { get; init; }

    /// <summary>SHA-256 of the whole key.</summary>
    public required byte[] Hash { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>The user who owns it (or the agent's parent user).</summary>
    public string? UserId { get; init; }

    /// <summary>The agent it identifies, when it belongs to an agent.</summary>
    public string? AgentId { get; init; }

    /// <summary>Its team.</summary>
    public string? TeamId { get; init; }

    /// <summary>Its organization.</summary>
    public string? OrgId { get; init; }

    /// <summary>Admin roles (<c>admin</c>, <c>team-admin</c>, <c>auditor</c>); empty for a client key.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Free-form tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Models or groups it may call (exact names or globs like <c>openai/*</c>); empty allows all.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    /// <summary>Source networks it may be used from (CIDR); empty allows any.</summary>
    public IReadOnlyList<string> AllowedCidrs { get; init; } = [];

    /// <summary>When it stops working, if ever.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When it was revoked, if it was.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
