namespace Gatehouse.Server.Admin;

/// <summary>A key as the admin API shows it: everything but the secret (which is never stored).</summary>
public sealed record KeyView
{
    /// <summary>The key id (its lookup prefix).</summary>
    public required string Id { get; init; }

    /// <summary>How the key starts, for recognizing it.</summary>
    public required string Display { get; init; }

    /// <summary>The full key: present only in the answer that created it.</summary>
    public string? Key { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>Owning user.</summary>
    public string? UserId { get; init; }

    /// <summary>Agent.</summary>
    public string? AgentId { get; init; }

    /// <summary>Team.</summary>
    public string? TeamId { get; init; }

    /// <summary>Organization.</summary>
    public string? OrgId { get; init; }

    /// <summary>Admin roles.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Allowed models.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    /// <summary>Allowed networks.</summary>
    public IReadOnlyList<string> AllowedCidrs { get; init; } = [];

    /// <summary>active, revoked or expired.</summary>
    public required string Status { get; init; }

    /// <summary>Expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Revocation time.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
