namespace Gatehouse.Server.Admin;

/// <summary>An authenticated admin caller: who (for audit), with which role, and for team admins which team.</summary>
/// <param name="Actor">The audit actor (<c>key:…</c>, <c>open</c>, <c>cli</c>).</param>
/// <param name="Role">The role that applies.</param>
/// <param name="TeamId">The team a team admin administers.</param>
/// <param name="SourceIp">The caller's address, when over HTTP.</param>
/// <param name="Principal">The identity behind the caller, when a key or token authenticated it (for policies).</param>
public sealed record AdminCaller(string Actor, AdminRole Role, string? TeamId, string? SourceIp = null, Gatehouse.Server.Governance.Principal? Principal = null)
{
    /// <summary>The command line on the gateway's machine: full rights (it can open the database anyway).</summary>
    public static AdminCaller Cli { get; } = new("cli:" + Environment.UserName, AdminRole.Admin, null);

    /// <summary>Whether the caller may change anything.</summary>
    public bool CanWrite => Role != AdminRole.Auditor;

    /// <summary>Whether the caller may act on something that belongs to <paramref name="teamId"/>.</summary>
    public bool CanManageTeam(string? teamId) => Role == AdminRole.Admin || (Role == AdminRole.TeamAdmin && teamId is not null && teamId == TeamId);

    /// <summary>Whether the caller may see something that belongs to <paramref name="teamId"/>: a team admin only its team's.</summary>
    public bool CanRead(string? teamId) => Role != AdminRole.TeamAdmin || CanManageTeam(teamId);

    /// <summary>
    /// Whether the caller may name <paramref name="entity"/> (a user or agent) on a key or agent it creates: a team
    /// admin only one of its own team, since the key then acts with that entity's scopes (budgets, limits, policies).
    /// </summary>
    public bool CanUse(Gatehouse.Storage.Governance.DirectoryEntity? entity) =>
        Role != AdminRole.TeamAdmin || entity is null || (entity.TeamId is not null && entity.TeamId == TeamId);
}
