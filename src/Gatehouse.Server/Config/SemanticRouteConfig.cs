namespace Gatehouse.Server.Config;

/// <summary>One route of a semantic router: what requests it is for (example utterances, a description) and the model that serves them.</summary>
public sealed class SemanticRouteConfig
{
    /// <summary>The route's name, shown in explanations, the header and the request log.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The model to serve with.</summary>
    public ModelReference? Model { get; set; }

    /// <summary>An optional description, compared like one more example.</summary>
    public string? Description { get; set; }

    /// <summary>Example utterances of requests that belong to this route.</summary>
    public List<string> Examples { get; set; } = [];

    /// <summary>The line in the config file, for messages.</summary>
    public int Line { get; set; }
}
