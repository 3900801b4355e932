using Gatehouse.Governance.Policies;
using Gatehouse.Server.Runtime;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Holds the policy set in force — the config's policy files plus the documents stored through the admin API —
/// compiled once per (config snapshot, governance directory) pair, and builds the policy request for a call.
/// With no policy statements at all, access is decided by keys alone.
/// </summary>
public sealed partial class PolicyEvaluator
{
    private readonly ILogger<PolicyEvaluator> _logger;
    private readonly Lock _gate = new();
    private (GatewaySnapshot? Snapshot, GovernanceDirectory? Directory, PolicySet? Set, bool ReadsVerdicts) _compiled;

    /// <summary>Creates the evaluator.</summary>
    public PolicyEvaluator(ILogger<PolicyEvaluator> logger) => _logger = logger;

    /// <summary>The policy set for this snapshot and directory, or null when no statement exists.</summary>
    public PolicySet? SetFor(GatewaySnapshot snapshot, GovernanceDirectory directory)
    {
        var compiled = _compiled;
        if (ReferenceEquals(compiled.Snapshot, snapshot) && ReferenceEquals(compiled.Directory, directory))
        {
            return compiled.Set;
        }

        lock (_gate)
        {
            if (!ReferenceEquals(_compiled.Snapshot, snapshot) || !ReferenceEquals(_compiled.Directory, directory))
            {
                var result = Compile(snapshot.PolicySources, directory.PolicyDocuments);
                if (result.Succeeded)
                {
                    var set = result.Set!.Statements.Count == 0 ? null : result.Set;
                    _compiled = (snapshot, directory, set, set is not null && ReadsGuardrailVerdicts(set));
                }
                else
                {
                    // Sources were validated one by one; only a clash between them (a duplicate id) lands here.
                    LogCombinationFailed(_logger, string.Join("; ", result.Errors));
                    _compiled = (snapshot, directory, _compiled.Set, _compiled.ReadsVerdicts);
                }
            }

            return _compiled.Set;
        }
    }

    /// <summary>Whether the set in force for this snapshot and directory reads guardrail verdicts (computed once per compile).</summary>
    public bool ReadsVerdictsFor(GatewaySnapshot snapshot, GovernanceDirectory directory)
    {
        SetFor(snapshot, directory);
        return _compiled.ReadsVerdicts;
    }

    /// <summary>Whether a statement of <paramref name="set"/> reads <c>context.guardrails</c> (then it is decided after inspect-in).</summary>
    public static bool ReadsGuardrailVerdicts(PolicySet set)
    {
        foreach (var statement in set.Statements)
        {
            if (statement.Condition?.Source.Contains("guardrails", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compiles config sources together with stored documents.</summary>
    public static PolicyLoadResult Compile(IReadOnlyList<PolicySource> configSources, IReadOnlyList<(string Name, string Text)> stored)
    {
        var sources = new List<PolicySource>(configSources);
        foreach (var (name, text) in stored)
        {
            sources.Add(new PolicySource(StoredName(name), text));
        }

        return new PolicyLoader().Load(sources);
    }

    /// <summary>The source name a stored document's errors are reported under.</summary>
    public static string StoredName(string name) => string.Concat("store:", name);

    /// <summary>The entity a principal is to policies, with its ancestors (nearest first).</summary>
    public static (EntityRef Entity, List<EntityRef> Ancestors) EntityOf(Principal principal)
    {
        var ancestors = new List<EntityRef>(4);
        EntityRef entity;
        if (principal.Kind == PrincipalKind.Key)
        {
            entity = new EntityRef(EntityType.Key, principal.KeyId!);
            Add(ancestors, EntityType.Agent, principal.AgentId);
            Add(ancestors, EntityType.User, principal.UserId);
        }
        else if (principal.AgentId is { } agent)
        {
            entity = new EntityRef(EntityType.Agent, agent);
            Add(ancestors, EntityType.User, principal.UserId);
        }
        else
        {
            entity = new EntityRef(EntityType.User, principal.UserId ?? principal.Id);
        }

        Add(ancestors, EntityType.Team, principal.TeamId);
        Add(ancestors, EntityType.Org, principal.OrgId);
        return (entity, ancestors);
    }

    /// <summary>The resource a requested model name is to policies: a model group for a virtual model, else a model under its provider and groups.</summary>
    public static (EntityRef Entity, List<EntityRef> Parents) ResourceOf(GatewaySnapshot snapshot, string requested, RouteTarget[]? targets)
    {
        var parents = new List<EntityRef>(2);
        foreach (var alias in snapshot.Config.Models)
        {
            if (alias.Name == requested)
            {
                return (new EntityRef(EntityType.ModelGroup, requested), parents);
            }
        }

        var id = requested;
        if (targets is [var only])
        {
            id = string.Concat(only.Provider.Name, "/", only.Model);
            parents.Add(new EntityRef(EntityType.Provider, only.Provider.Name));
            foreach (var alias in snapshot.Config.Models)
            {
                foreach (var target in alias.Targets)
                {
                    if (target.Provider == only.Provider.Name && target.Model == only.Model)
                    {
                        parents.Add(new EntityRef(EntityType.ModelGroup, alias.Name));
                        break;
                    }
                }
            }
        }

        return (new EntityRef(EntityType.Model, id), parents);
    }

    private static void Add(List<EntityRef> list, EntityType type, string? id)
    {
        if (id is not null)
        {
            list.Add(new EntityRef(type, id));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The configured and stored policies cannot be combined; keeping the previous policy set: {Problems}")]
    private static partial void LogCombinationFailed(ILogger logger, string problems);
}
