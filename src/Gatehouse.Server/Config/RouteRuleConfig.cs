namespace Gatehouse.Server.Config;

/// <summary>One conditional rule of a router: when its conditions hold, the request goes to <see cref="Model"/>.</summary>
public sealed class RouteRuleConfig
{
    /// <summary>The rule's name, shown in explanations, the <c>x-gatehouse-route</c> header and the request log.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The conditions; none means the rule always matches.</summary>
    public RouteConditionConfig When { get; set; } = new();

    /// <summary>The model to serve with (a virtual model or <c>provider/model</c>).</summary>
    public ModelReference? Model { get; set; }

    /// <summary>The line in the config file, for messages.</summary>
    public int Line { get; set; }
}
