namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>Who a valid bearer token speaks for, after claim mapping.</summary>
/// <param name="Issuer">The token's issuer.</param>
/// <param name="Subject">The <c>sub</c> claim ("" when absent).</param>
/// <param name="User">The user, from the mapped user claim.</param>
/// <param name="Team">The team, when mapped and present.</param>
/// <param name="Org">The organization, when mapped and present.</param>
/// <param name="Roles">The roles, when mapped and present.</param>
/// <param name="Agent">The agent, when mapped and present.</param>
/// <param name="ExpiresAt">When the token expires.</param>
public sealed record JwtIdentity(
    string Issuer,
    string Subject,
    string User,
    string? Team,
    string? Org,
    IReadOnlyList<string> Roles,
    string? Agent,
    DateTimeOffset ExpiresAt);
