namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>Which token claims carry the user, team, organization, roles and agent of the caller.</summary>
public sealed class JwtClaimMapping
{
    /// <summary>The claim naming the user; required in every token. Default <c>sub</c>.</summary>
    public string User { get; init; } = "sub";

    /// <summary>The claim naming the team, if the issuer sends one.</summary>
    public string? Team { get; init; }

    /// <summary>The claim naming the organization, if the issuer sends one.</summary>
    public string? Org { get; init; }

    /// <summary>The claim listing roles: a JSON array, or one string with roles separated by spaces. Default <c>roles</c>.</summary>
    public string? Roles { get; init; } = "roles";

    /// <summary>The claim naming the agent, when tokens are issued to agents.</summary>
    public string? Agent { get; init; }
}
