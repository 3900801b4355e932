using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Policies;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Runtime;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Admin;

/// <summary>Stored policy documents and policy tests — for the admin API and <c>gatehouse policy</c>.</summary>
public sealed class PolicyAdministration
{
    private readonly GovernanceState _state;
    private readonly IAuditAppender _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the operations.</summary>
    public PolicyAdministration(GovernanceState state, IAuditAppender audit, TimeProvider time)
    {
        _state = state;
        _audit = audit;
        _time = time;
    }

    /// <summary>The documents in force: config files first, then stored ones.</summary>
    public IReadOnlyList<PolicyDocumentView> List(GatewaySnapshot snapshot)
    {
        var result = new List<PolicyDocumentView>();
        foreach (var source in snapshot.PolicySources)
        {
            result.Add(new PolicyDocumentView { Name = source.Name, Origin = "config", Text = source.Text });
        }

        foreach (var (name, text) in _state.Current.PolicyDocuments)
        {
            result.Add(new PolicyDocumentView { Name = name, Origin = "store", Text = text });
        }

        return result;
    }

    /// <summary>Validates a document together with everything else in force, then stores it (replacing one of the same name).</summary>
    public async Task<AdminResult<PolicyDocumentView>> SetAsync(AdminCaller caller, GatewaySnapshot snapshot, string name, string text, CancellationToken cancellationToken)
    {
        if (caller.Role != AdminRole.Admin)
        {
            return AdminErrors.Forbidden("Only admins may change policies.");
        }

        if (!AdminValidation.IsValidId(name))
        {
            return AdminErrors.Invalid("name", "a policy document name is 1-128 characters: lowercase letters, digits, '.', '_', '-', '@'.");
        }

        var stored = new List<(string Name, string Text)>();
        foreach (var document in _state.Current.PolicyDocuments)
        {
            if (document.Name != name)
            {
                stored.Add(document);
            }
        }

        stored.Add((name, text));
        var result = PolicyEvaluator.Compile(snapshot.PolicySources, stored);
        if (!result.Succeeded)
        {
            return AdminErrors.Invalid("policy", string.Join("\n", result.Errors.Select(e => e.ToString())));
        }

        var now = _time.GetUtcNow();
        await _state.Store.SetPolicyDocumentAsync(name, text, now, cancellationToken);
        await _audit.AppendAsync(KeyAdministration.Entry(caller, PolicyActions.AdminPoliciesWrite, "policy:" + name, now), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return new PolicyDocumentView { Name = name, Origin = "store", Text = text };
    }

    /// <summary>Deletes a stored document.</summary>
    public async Task<AdminResult<PolicyDocumentView>> DeleteAsync(AdminCaller caller, string name, CancellationToken cancellationToken)
    {
        if (caller.Role != AdminRole.Admin)
        {
            return AdminErrors.Forbidden("Only admins may change policies.");
        }

        var existing = _state.Current.PolicyDocuments.FirstOrDefault(d => d.Name == name);
        if (existing.Name is null || !await _state.Store.DeletePolicyDocumentAsync(name, cancellationToken))
        {
            return AdminErrors.NotFound($"stored policy '{name}'");
        }

        await _audit.AppendAsync(KeyAdministration.Entry(caller, PolicyActions.AdminPoliciesWrite, "policy:" + name, _time.GetUtcNow(), "{\"deleted\":true}"), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return new PolicyDocumentView { Name = name, Origin = "store", Text = existing.Text };
    }

    /// <summary>Explains what the policies in force decide for a principal, action and resource.</summary>
    public AdminResult<PolicyTestView> Test(GatewaySnapshot snapshot, PolicyEvaluator evaluator, PolicyTestRequest request)
    {
        if (!EntityRef.TryParse(request.Principal ?? string.Empty, out var principal, out _) || !EntityTypeNames.IsPrincipal(principal.Type))
        {
            return AdminErrors.Invalid("principal", "'principal' must be Type::id with type Org, Team, User, Agent or Key.");
        }

        if (!EntityRef.TryParse(request.Resource ?? string.Empty, out var resource, out _) || EntityTypeNames.IsPrincipal(resource.Type))
        {
            return AdminErrors.Invalid("resource", "'resource' must be Type::id with type Model, ModelGroup, Provider, Tool or McpServer.");
        }

        if (request.Action is null || !PolicyActions.All.Contains(request.Action))
        {
            return AdminErrors.Invalid("action", $"'action' must be one of {string.Join(", ", PolicyActions.All)}.");
        }

        var set = evaluator.SetFor(snapshot, _state.Current) ?? PolicySet.Empty;
        var directory = _state.Current;
        var explanation = set.Explain(new PolicyRequest
        {
            Principal = principal,
            PrincipalAncestors = AncestorsOf(principal, directory),
            Action = request.Action,
            Resource = resource,
            ResourceParents = resource.Type == EntityType.Model ? PolicyEvaluator.ResourceOf(snapshot, resource.Id, Targets(snapshot, resource.Id)).Parents : [],
            Context = new PolicyContext { Time = request.Time ?? _time.GetUtcNow(), SourceIp = request.SourceIp, EstimatedTokens = request.EstimatedTokens },
        });
        return new PolicyTestView
        {
            Allowed = explanation.Decision.Allowed,
            Reason = explanation.Decision.Reason,
            DeterminingPolicies = explanation.Decision.DeterminingPolicies,
            ShadowAllowed = explanation.Decision.Shadow?.Allowed,
            Explanation = PolicyExplanationText.Render(explanation),
        };
    }

    private static RouteTarget[]? Targets(GatewaySnapshot snapshot, string model) => snapshot.Resolve(model).Targets;

    private static List<EntityRef> AncestorsOf(EntityRef principal, GovernanceDirectory directory)
    {
        var (user, agent, team, org) = principal.Type switch
        {
            EntityType.Key when directory.Key(principal.Id) is { } key => (key.UserId, key.AgentId, key.TeamId, key.OrgId),
            EntityType.Agent when directory.Entity(EntityKind.Agent, principal.Id) is { } a => (a.ParentUserId, null, a.TeamId, a.OrgId),
            EntityType.User when directory.Entity(EntityKind.User, principal.Id) is { } u => (null, null, u.TeamId, u.OrgId),
            EntityType.Team when directory.Entity(EntityKind.Team, principal.Id) is { } t => ((string?)null, (string?)null, (string?)null, t.OrgId),
            _ => (null, null, null, null),
        };
        var ancestors = new List<EntityRef>();
        foreach (var (type, id) in (ReadOnlySpan<(EntityType, string?)>)[(EntityType.Agent, agent), (EntityType.User, user), (EntityType.Team, team), (EntityType.Org, org)])
        {
            if (id is not null)
            {
                ancestors.Add(new EntityRef(type, id));
            }
        }

        return ancestors;
    }
}
