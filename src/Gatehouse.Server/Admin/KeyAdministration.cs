using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Budgets;
using Gatehouse.Governance.Keys;
using Gatehouse.Server.Config;
using Gatehouse.Server.Governance;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Admin;

/// <summary>Creating, listing and revoking virtual keys — for the admin API and the CLI alike. Every change is audited.</summary>
public sealed class KeyAdministration
{
    private readonly GovernanceState _state;
    private readonly IAuditAppender _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the operations.</summary>
    public KeyAdministration(GovernanceState state, IAuditAppender audit, TimeProvider time)
    {
        _state = state;
        _audit = audit;
        _time = time;
    }

    /// <summary>Creates a key; the answer carries the key itself, which is shown this once and never again.</summary>
    public async Task<AdminResult<KeyView>> CreateAsync(AdminCaller caller, KeyCreateRequest request, CancellationToken cancellationToken)
    {
        var directory = _state.Current;
        var agent = directory.Entity(EntityKind.Agent, request.AgentId);
        var user = directory.Entity(EntityKind.User, request.UserId ?? agent?.ParentUserId);
        var teamId = request.TeamId ?? agent?.TeamId ?? user?.TeamId;
        var orgId = request.OrgId ?? directory.Entity(EntityKind.Team, teamId)?.OrgId ?? agent?.OrgId ?? user?.OrgId;
        var roles = request.Roles ?? [];
        var error = AdminValidation.Reference(directory, EntityKind.User, request.UserId, "user_id")
            ?? AdminValidation.Reference(directory, EntityKind.Agent, request.AgentId, "agent_id")
            ?? AdminValidation.Reference(directory, EntityKind.Team, request.TeamId, "team_id")
            ?? AdminValidation.Reference(directory, EntityKind.Org, request.OrgId, "org_id")
            ?? AdminValidation.Strings(request.Tags ?? [], "tags")
            ?? AdminValidation.Strings(request.AllowedModels ?? [], "allowed_models")
            ?? AdminValidation.Networks(request.AllowedCidrs ?? []);
        if (error is not null)
        {
            return error;
        }

        foreach (var role in roles)
        {
            if (!AdminValidation.Roles.Contains(role))
            {
                return AdminErrors.Invalid("roles", $"unknown role '{role}'; roles are admin, team-admin and auditor.");
            }
        }

        if (roles.Contains("team-admin") && teamId is null)
        {
            return AdminErrors.Invalid("team_id", "a team-admin key needs a team.");
        }

        if (!caller.CanManageTeam(teamId) || (caller.Role != AdminRole.Admin && roles.Any(r => r != "team-admin")))
        {
            return AdminErrors.Forbidden(caller.Role == AdminRole.TeamAdmin
                ? "A team admin may create keys only for its own team, and may grant no role but team-admin."
                : "Only admins may create keys.");
        }

        // The key acts with the scopes of its agent, user and org (their budgets, limits and policies): a team admin
        // may name only those of its own team.
        if (!caller.CanUse(agent) || !caller.CanUse(user) || (caller.Role == AdminRole.TeamAdmin && orgId != directory.Entity(EntityKind.Team, caller.TeamId)?.OrgId))
        {
            return AdminErrors.Forbidden("A team admin may name only users, agents and the organization of its own team on a key.");
        }

        if ((SpendAdministration.Positive(request.Rpm, "rpm") ?? SpendAdministration.Positive(request.Tpm, "tpm") ?? SpendAdministration.Positive(request.MaxConcurrent, "max_concurrent")) is { } limitError)
        {
            return limitError;
        }

        var budgetPeriod = BudgetPeriod.Monthly;
        if (request.BudgetPeriod is not null && !BudgetWindow.TryParse(request.BudgetPeriod, out budgetPeriod))
        {
            return AdminErrors.Invalid("budget_period", $"'budget_period' must be hourly, daily, weekly, monthly or lifetime; got '{request.BudgetPeriod}'.");
        }

        if (request.BudgetUsd is < 0 || request.BudgetTokens is < 0)
        {
            return AdminErrors.Invalid("budget_usd", "budget limits cannot be negative.");
        }

        var now = _time.GetUtcNow();
        var expires = request.ExpiresAt;
        if (request.ExpiresIn is { } relative)
        {
            if (!DurationParser.TryParse(relative, out var span) || span <= TimeSpan.Zero)
            {
                return AdminErrors.Invalid("expires_in", $"'{relative}' is not a duration such as 90m, 12h or 30d.");
            }

            expires = now + span;
        }

        if (expires is { } at && at <= now)
        {
            return AdminErrors.Invalid("expires_at", "'expires_at' is in the past.");
        }

        var (key, prefix) = ApiKeyFormat.Generate();
        var record = new ApiKeyRecord
        {
            Id = prefix,
            Hash = ApiKeyFormat.Hash(key),
            Name = request.Name,
            UserId = user?.Id ?? request.UserId,
            AgentId = request.AgentId,
            TeamId = teamId,
            OrgId = orgId,
            Roles = roles,
            Tags = request.Tags ?? [],
            AllowedModels = request.AllowedModels ?? [],
            AllowedCidrs = request.AllowedCidrs ?? [],
            ExpiresAt = expires,
            CreatedAt = now,
        };
        var store = _state.Store;
        await store.AddKeyAsync(record, cancellationToken);
        if (request.Rpm is not null || request.Tpm is not null || request.MaxConcurrent is not null)
        {
            await store.SetLimitAsync(new LimitRecord { Scope = "key:" + prefix, RequestsPerMinute = request.Rpm, TokensPerMinute = request.Tpm, MaxConcurrent = request.MaxConcurrent }, cancellationToken);
        }

        if (request.BudgetUsd is not null || request.BudgetTokens is not null)
        {
            await store.SetBudgetAsync(
                new BudgetLimit
                {
                    Id = "key-" + prefix,
                    Scope = "key:" + prefix,
                    Period = budgetPeriod,
                    MaxNanoUsd = request.BudgetUsd is { } usd ? BudgetLimit.ToNanoUsd(usd) : null,
                    MaxTokens = request.BudgetTokens,
                },
                cancellationToken);
        }

        await _audit.AppendAsync(Entry(caller, "admin:keys.create", "key:" + prefix, now), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return View(record, now) with { Key = key };
    }

    /// <summary>Lists the keys the caller may see (a team admin: its team's).</summary>
    public IReadOnlyList<KeyView> List(AdminCaller caller)
    {
        var now = _time.GetUtcNow();
        var result = new List<KeyView>();
        foreach (var key in _state.Current.Keys)
        {
            if (caller.Role != AdminRole.TeamAdmin || caller.CanManageTeam(key.TeamId))
            {
                result.Add(View(key, now));
            }
        }

        return result;
    }

    /// <summary>Revokes a key; every replica refuses it within a second.</summary>
    public async Task<AdminResult<KeyView>> RevokeAsync(AdminCaller caller, string id, CancellationToken cancellationToken)
    {
        if (_state.Current.Key(id) is not { } key)
        {
            return AdminErrors.NotFound($"key '{id}'");
        }

        if (!caller.CanWrite || !caller.CanManageTeam(key.TeamId))
        {
            return AdminErrors.Forbidden("You may revoke only keys of a team you administer.");
        }

        var now = _time.GetUtcNow();
        if (key.RevokedAt is null)
        {
            await _state.Store.RevokeKeyAsync(id, now, cancellationToken);
            await _audit.AppendAsync(Entry(caller, "admin:keys.revoke", "key:" + id, now), cancellationToken);
            await _state.RefreshAsync(force: true, cancellationToken);
        }

        return View(_state.Current.Key(id) ?? key, now);
    }

    /// <summary>The admin view of a stored key.</summary>
    public static KeyView View(ApiKeyRecord key, DateTimeOffset now) => new()
    {
        Id = key.Id,
        Display = ApiKeyFormat.Redacted(key.Id),
        Name = key.Name,
        UserId = key.UserId,
        AgentId = key.AgentId,
        TeamId = key.TeamId,
        OrgId = key.OrgId,
        Roles = key.Roles,
        Tags = key.Tags,
        AllowedModels = key.AllowedModels,
        AllowedCidrs = key.AllowedCidrs,
        Status = key.RevokedAt is not null ? "revoked" : key.ExpiresAt is { } at && at <= now ? "expired" : "active",
        ExpiresAt = key.ExpiresAt,
        RevokedAt = key.RevokedAt,
        CreatedAt = key.CreatedAt,
    };

    /// <summary>An audit entry for an admin change.</summary>
    public static AuditEntry Entry(AdminCaller caller, string action, string target, DateTimeOffset now, string? details = null) => new()
    {
        Time = now,
        Actor = caller.Actor,
        Action = action,
        Target = target,
        Outcome = "ok",
        SourceIp = caller.SourceIp,
        Details = details,
    };
}
