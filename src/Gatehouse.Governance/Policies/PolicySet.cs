using System.Collections.Frozen;

namespace Gatehouse.Governance.Policies;

/// <summary>
/// An immutable, compiled set of statements with Cedar/IAM semantics: default deny, a matching forbid overrides every
/// permit. Statements are indexed by action, conditions compiled once; <see cref="Evaluate"/> is safe to call concurrently.
/// </summary>
public sealed class PolicySet
{
    private readonly FrozenDictionary<string, ActionBucket> _byAction;
    private readonly bool _enforcing;
    private readonly bool _hasShadow;

    /// <summary>Compiles a set from statements whose ids are unique (the loader checks that; this constructor throws otherwise).</summary>
    public PolicySet(IEnumerable<PolicyStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        Statements = [.. statements];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in Statements)
        {
            if (!ids.Add(statement.Id))
            {
                throw new ArgumentException($"duplicate policy id '{statement.Id}'", nameof(statements));
            }

            _enforcing |= statement.Mode == PolicyMode.Enforce;
            _hasShadow |= statement.Mode == PolicyMode.Shadow;
        }

        var buckets = new Dictionary<string, ActionBucket>(StringComparer.Ordinal);
        foreach (var action in PolicyActions.All)
        {
            var forbids = new List<PolicyStatement>();
            var permits = new List<PolicyStatement>();
            foreach (var statement in Statements)
            {
                if (statement.Action.Matches(action))
                {
                    (statement.Effect == PolicyEffect.Forbid ? forbids : permits).Add(statement);
                }
            }

            buckets[action] = forbids.Count + permits.Count == 0 ? ActionBucket.Empty : new ActionBucket([.. forbids], [.. permits]);
        }

        _byAction = buckets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A set with no statements: it enforces nothing.</summary>
    public static PolicySet Empty { get; } = new([]);

    /// <summary>Every statement, in file order.</summary>
    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>Whether at least one statement is enforced; when false every request is allowed and only shadow verdicts are recorded.</summary>
    public bool IsEnforcing => _enforcing;

    /// <summary>Decides a request. Never throws for a failing condition: the failure is recorded in <see cref="PolicyDecision.Errors"/>.</summary>
    public PolicyDecision Evaluate(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_byAction.TryGetValue(request.Action, out var bucket))
        {
            var reason = DecisionReasons.UnknownAction(request.Action);
            return new PolicyDecision
            {
                Allowed = false,
                Basis = PolicyDecisionBasis.UnknownAction,
                Reason = reason,
                DeterminingPolicies = [],
                Shadow = _hasShadow ? new PolicyShadowDecision(false, PolicyDecisionBasis.UnknownAction, reason, []) : null,
            };
        }

        var run = new EvaluationRun(request);
        foreach (var statement in bucket.Forbids)
        {
            if (statement.ScopeMatches(request) && run.Applies(statement))
            {
                run.Record(statement);
            }
        }

        var needEnforcedPermits = _enforcing && run.EnforcedForbids is null;
        var needShadowPermits = _hasShadow && run.EnforcedForbids is null && run.ShadowForbids is null;
        if (needEnforcedPermits || needShadowPermits)
        {
            foreach (var statement in bucket.Permits)
            {
                var wanted = statement.Mode == PolicyMode.Enforce || needShadowPermits;
                if (wanted && statement.ScopeMatches(request) && run.Applies(statement))
                {
                    run.Record(statement);
                }
            }
        }

        var enforced = _enforcing
            ? Decide(request, run.EnforcedForbids, run.EnforcedPermits, in run)
            : new PolicyShadowDecision(true, PolicyDecisionBasis.NotEnforced, DecisionReasons.NotEnforced, []);
        PolicyShadowDecision? shadow = null;
        if (_hasShadow)
        {
            shadow = Decide(request, Union(run.EnforcedForbids, run.ShadowForbids), Union(run.EnforcedPermits, run.ShadowPermits), in run);
        }

        return new PolicyDecision
        {
            Allowed = enforced.Allowed,
            Basis = enforced.Basis,
            Reason = enforced.Reason,
            DeterminingPolicies = enforced.DeterminingPolicies,
            Errors = run.Errors ?? (IReadOnlyList<PolicyConditionError>)[],
            Shadow = shadow,
        };
    }

    /// <summary>Decides a request and says, for every statement, whether its scope and condition matched: the data behind <c>gatehouse policy test</c>.</summary>
    public PolicyExplanation Explain(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = Evaluate(request);
        var activation = PolicyActivation.Build(request);
        var rows = new List<StatementExplanation>(Statements.Count);
        foreach (var statement in Statements)
        {
            var principal = statement.Principal.Matches(request.Principal, request.PrincipalAncestors);
            var action = statement.Action.Matches(request.Action);
            var resource = statement.Resource.Matches(request.Resource, request.ResourceParents);
            var condition = ConditionResult.NotEvaluated;
            string? error = null;
            if (principal && action && resource)
            {
                condition = statement.Condition is { } compiled ? compiled.Evaluate(activation, out error) : ConditionResult.Absent;
            }

            rows.Add(new StatementExplanation(
                statement, principal, action, resource, condition, error,
                Contains(decision.DeterminingPolicies, statement.Id),
                decision.Shadow is { } shadow && Contains(shadow.DeterminingPolicies, statement.Id)));
        }

        return new PolicyExplanation(request, decision, rows);
    }

    // The enforced verdict has the same shape as a shadow one; PolicyDecision copies it and adds errors and the shadow verdict.
    private static PolicyShadowDecision Decide(PolicyRequest request, List<PolicyStatement>? forbids, List<PolicyStatement>? permits, in EvaluationRun run)
    {
        if (forbids is { Count: > 0 })
        {
            var ids = Ids(forbids);
            return new PolicyShadowDecision(false, PolicyDecisionBasis.Forbidden, DecisionReasons.Forbidden(ids, forbids[0], run.Failed(forbids[0])), ids);
        }

        if (permits is { Count: > 0 })
        {
            var ids = Ids(permits);
            return new PolicyShadowDecision(true, PolicyDecisionBasis.Permitted, DecisionReasons.Permitted(ids), ids);
        }

        return new PolicyShadowDecision(false, PolicyDecisionBasis.NoPermit, DecisionReasons.NoPermit(request), []);
    }

    private static string[] Ids(List<PolicyStatement> statements)
    {
        var ids = new string[statements.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = statements[i].Id;
        }

        return ids;
    }

    private static List<PolicyStatement>? Union(List<PolicyStatement>? enforced, List<PolicyStatement>? shadow)
    {
        if (enforced is null || shadow is null)
        {
            return enforced ?? shadow;
        }

        return [.. enforced, .. shadow];
    }

    private static bool Contains(IReadOnlyList<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (string.Equals(ids[i], id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
