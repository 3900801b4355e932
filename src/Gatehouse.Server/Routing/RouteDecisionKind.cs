namespace Gatehouse.Server.Routing;

/// <summary>What chose the model of a routed request.</summary>
public enum RouteDecisionKind
{
    /// <summary>A conditional rule matched.</summary>
    Rule,

    /// <summary>A semantic route scored at or above the threshold.</summary>
    Semantic,

    /// <summary>Neither: the router's default.</summary>
    Default,
}
