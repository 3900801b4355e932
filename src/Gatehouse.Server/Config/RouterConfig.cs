namespace Gatehouse.Server.Config;

/// <summary>
/// A router: a name clients ask for like a virtual model, whose requests are sent to a model chosen by conditional
/// rules (first match wins), then by meaning (semantic routes), then to the default.
/// </summary>
public sealed class RouterConfig
{
    /// <summary>The name clients ask for.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Further names for the same router (rules can tell them apart with <c>when.models</c>).</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>Conditional rules, in order.</summary>
    public List<RouteRuleConfig> Rules { get; set; } = [];

    /// <summary>Semantic routing, when configured.</summary>
    public SemanticConfig? Semantic { get; set; }

    /// <summary>The model used when no rule matches and no semantic route is close enough.</summary>
    public ModelReference? Default { get; set; }

    /// <summary>The line in the config file, for messages.</summary>
    public int Line { get; set; }
}
