using Gatehouse.Governance.Audit;
using Gatehouse.Server.Governance;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Admin;

/// <summary>Organizations, teams, users and agents: the hierarchy keys, limits and budgets hang from.</summary>
public sealed class DirectoryAdministration
{
    private readonly GovernanceState _state;
    private readonly IAuditAppender _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the operations.</summary>
    public DirectoryAdministration(GovernanceState state, IAuditAppender audit, TimeProvider time)
    {
        _state = state;
        _audit = audit;
        _time = time;
    }

    /// <summary>Creates an entity of <paramref name="kind"/>.</summary>
    public async Task<AdminResult<DirectoryEntity>> CreateAsync(AdminCaller caller, EntityKind kind, EntityRequest request, CancellationToken cancellationToken)
    {
        var directory = _state.Current;
        var parentUser = directory.Entity(EntityKind.User, request.ParentUserId);
        var teamId = kind is EntityKind.User or EntityKind.Agent ? request.TeamId ?? parentUser?.TeamId : null;
        var orgId = kind == EntityKind.Org ? null : request.OrgId ?? directory.Entity(EntityKind.Team, teamId)?.OrgId;
        if (!AdminValidation.IsValidId(request.Id))
        {
            return AdminErrors.Invalid("id", "'id' is required: 1-128 characters, lowercase letters, digits, '.', '_', '-', '@', starting with a letter or digit.");
        }

        var error = AdminValidation.Reference(directory, EntityKind.Org, request.OrgId, "org_id")
            ?? AdminValidation.Reference(directory, EntityKind.Team, request.TeamId, "team_id")
            ?? AdminValidation.Reference(directory, EntityKind.User, request.ParentUserId, "parent_user_id")
            ?? AdminValidation.Strings(request.Tags ?? [], "tags");
        if (error is not null)
        {
            return error;
        }

        if (request.ParentUserId is not null && kind != EntityKind.Agent)
        {
            return AdminErrors.Invalid("parent_user_id", "only agents have a parent user.");
        }

        var allowed = kind switch
        {
            // The entity acts with its parent user's and org's scopes: a team admin names only its own team's.
            EntityKind.User or EntityKind.Agent => caller.CanManageTeam(teamId) && caller.CanUse(parentUser)
                && (caller.Role != AdminRole.TeamAdmin || orgId == directory.Entity(EntityKind.Team, caller.TeamId)?.OrgId),
            _ => caller.Role == AdminRole.Admin,
        };
        if (!allowed)
        {
            return AdminErrors.Forbidden(caller.Role == AdminRole.TeamAdmin
                ? "A team admin may create users and agents only in its own team."
                : "Only admins may create organizations and teams.");
        }

        var now = _time.GetUtcNow();
        var entity = new DirectoryEntity
        {
            Kind = kind,
            Id = request.Id!,
            Name = request.Name,
            OrgId = orgId,
            TeamId = teamId,
            ParentUserId = request.ParentUserId,
            Tags = request.Tags ?? [],
            CreatedAt = now,
        };
        if (!await _state.Store.AddEntityAsync(entity, cancellationToken))
        {
            return AdminErrors.Conflict($"{Name(kind)} '{entity.Id}'");
        }

        await _audit.AppendAsync(KeyAdministration.Entry(caller, $"admin:{Name(kind)}s.create", $"{Name(kind)}:{entity.Id}", now), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return entity;
    }

    /// <summary>Lists entities of <paramref name="kind"/> the caller may see.</summary>
    public IReadOnlyList<DirectoryEntity> List(AdminCaller caller, EntityKind kind)
    {
        var result = new List<DirectoryEntity>();
        foreach (var entity in _state.Current.Entities)
        {
            if (entity.Kind == kind && (caller.Role != AdminRole.TeamAdmin || caller.CanManageTeam(entity.Kind == EntityKind.Team ? entity.Id : entity.TeamId)))
            {
                result.Add(entity);
            }
        }

        return result;
    }

    /// <summary>Deletes an entity that nothing refers to any more.</summary>
    public async Task<AdminResult<DirectoryEntity>> DeleteAsync(AdminCaller caller, EntityKind kind, string id, CancellationToken cancellationToken)
    {
        var directory = _state.Current;
        if (directory.Entity(kind, id) is not { } entity)
        {
            return AdminErrors.NotFound($"{Name(kind)} '{id}'");
        }

        if (!caller.CanWrite || !(caller.Role == AdminRole.Admin || (kind is EntityKind.User or EntityKind.Agent && caller.CanManageTeam(entity.TeamId))))
        {
            return AdminErrors.Forbidden($"You may not delete {Name(kind)} '{id}'.");
        }

        foreach (var other in directory.Entities)
        {
            if (other.OrgId == id && kind == EntityKind.Org || other.TeamId == id && kind == EntityKind.Team || other.ParentUserId == id && kind == EntityKind.User)
            {
                return AdminErrors.Conflict($"{Name(other.Kind)} '{other.Id}' still belongs to {Name(kind)} '{id}'; it");
            }
        }

        // A key acts with the scopes of its user, agent, team and org: deleting one of them under it would leave it
        // acting for an entity that no longer exists.
        foreach (var key in directory.Keys)
        {
            if (key.RevokedAt is null && (kind switch
            {
                EntityKind.User => key.UserId == id,
                EntityKind.Agent => key.AgentId == id,
                EntityKind.Team => key.TeamId == id,
                _ => key.OrgId == id,
            }))
            {
                return new Gatehouse.Core.GatewayError(Gatehouse.Core.ErrorKind.InvalidRequest, $"Key '{key.Id}' still belongs to {Name(kind)} '{id}': revoke it first.", "conflict") { StatusOverride = 409 };
            }
        }

        var now = _time.GetUtcNow();
        await _state.Store.DeleteEntityAsync(kind, id, cancellationToken);
        await _audit.AppendAsync(KeyAdministration.Entry(caller, $"admin:{Name(kind)}s.delete", $"{Name(kind)}:{id}", now), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return entity;
    }

    /// <summary>The lowercase name of a kind.</summary>
    public static string Name(EntityKind kind) => kind.ToString().ToLowerInvariant();
}
