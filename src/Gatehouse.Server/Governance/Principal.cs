using System.Net;

namespace Gatehouse.Server.Governance;

/// <summary>Who is calling: the identity every stage after identify works with, down the hierarchy org → team → user/agent → key.</summary>
public sealed class Principal
{
    /// <summary>The caller of an open-mode install (no keys yet, loopback only).</summary>
    public static Principal Open { get; } = new() { Kind = PrincipalKind.Open, Id = "open" };

    /// <summary>How the caller was identified.</summary>
    public required PrincipalKind Kind { get; init; }

    /// <summary>The identifying id: the key prefix, the JWT subject, or <c>open</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The key id, when a key identified the caller.</summary>
    public string? KeyId { get; init; }

    /// <summary>The user, if known.</summary>
    public string? UserId { get; init; }

    /// <summary>The agent, when an agent is calling.</summary>
    public string? AgentId { get; init; }

    /// <summary>The team, if known.</summary>
    public string? TeamId { get; init; }

    /// <summary>The organization, if known.</summary>
    public string? OrgId { get; init; }

    /// <summary>Admin roles.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Tags of the key and its owners.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Model names or globs the key may call; empty allows all.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    /// <summary>Networks the key may be used from; empty allows any.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; init; } = [];

    /// <summary>The counter scopes of this caller, most specific first (<c>key:…</c>, <c>agent:…</c>, <c>user:…</c>, <c>team:…</c>, <c>org:…</c>).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The form used in audit records and logs (<c>key:abc…</c>); never a secret.</summary>
    public string Actor => Kind switch
    {
        PrincipalKind.Key => string.Concat("key:", KeyId),
        PrincipalKind.Jwt => string.Concat("jwt:", Id),
        _ => "open",
    };

    /// <summary>Whether the caller holds <paramref name="role"/>.</summary>
    public bool HasRole(string role)
    {
        foreach (var held in Roles)
        {
            if (string.Equals(held, role, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
