namespace Gatehouse.Server.Routing;

/// <summary>A compiled router: conditional rules (first match wins), then semantic routes, then the default.</summary>
public sealed class Router
{
    /// <summary>Creates the router.</summary>
    public Router(string name, IReadOnlyList<ConditionalRule> rules, SemanticRouter? semantic, string defaultModel)
    {
        Name = name;
        Rules = rules;
        Semantic = semantic;
        Default = defaultModel;
    }

    /// <summary>The router's name.</summary>
    public string Name { get; }

    /// <summary>The rules, in order.</summary>
    public IReadOnlyList<ConditionalRule> Rules { get; }

    /// <summary>The semantic stage, if configured.</summary>
    public SemanticRouter? Semantic { get; }

    /// <summary>The model used when nothing else matches.</summary>
    public string Default { get; }

    /// <summary>
    /// Decides the model for a request. With <paramref name="explain"/>, every rule's outcome is recorded and the
    /// semantic scores are computed even when a rule matched (they are then shown, not used).
    /// </summary>
    public async ValueTask<RouteDecision> DecideAsync(RouteFacts facts, bool explain, CancellationToken cancellationToken)
    {
        var outcomes = explain ? new List<RuleOutcome>(Rules.Count) : null;
        ConditionalRule? matched = null;
        foreach (var rule in Rules)
        {
            var failed = rule.FirstMismatch(facts);
            outcomes?.Add(new RuleOutcome(rule.Name, rule.Model, failed));
            if (failed is null)
            {
                matched = rule;
                break;
            }
        }

        SemanticResult? semantic = null;
        var cacheHit = false;
        if (Semantic is not null && (matched is null || explain))
        {
            (semantic, cacheHit) = await Semantic.ChooseAsync(facts.Request, cancellationToken);
        }

        if (matched is not null)
        {
            return new RouteDecision { Router = Name, Model = matched.Model, Kind = RouteDecisionKind.Rule, Matched = matched.Name, Semantic = semantic, Rules = outcomes ?? [] };
        }

        if (semantic?.Chosen is { } route)
        {
            return new RouteDecision { Router = Name, Model = route.Model, Kind = RouteDecisionKind.Semantic, Matched = route.Route, Semantic = semantic, CacheHit = cacheHit, Rules = outcomes ?? [] };
        }

        return new RouteDecision { Router = Name, Model = Default, Kind = RouteDecisionKind.Default, Semantic = semantic, CacheHit = cacheHit, Rules = outcomes ?? [] };
    }
}
