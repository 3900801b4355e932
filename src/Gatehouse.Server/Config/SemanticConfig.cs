namespace Gatehouse.Server.Config;

/// <summary>The <c>semantic:</c> block of a router: how a request's text is embedded and compared with the routes' examples.</summary>
public sealed class SemanticConfig
{
    /// <summary><c>hashed</c> (built in, offline), <c>minilm</c> (local sentence model) or <c>provider:NAME/MODEL</c>.</summary>
    public string Embedder { get; set; } = "hashed";

    /// <summary>The lowest similarity at which the best route wins; null uses the embedder's default.</summary>
    public double? Threshold { get; set; }

    /// <summary>How many trailing user messages are embedded.</summary>
    public int Window { get; set; } = 1;

    /// <summary>How many distinct texts' decisions are kept per router (0 disables the cache).</summary>
    public int CacheSize { get; set; } = 4096;

    /// <summary>The longest a provider embedder may take before the default route is used.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The routes.</summary>
    public List<SemanticRouteConfig> Routes { get; set; } = [];

    /// <summary>Where <see cref="Embedder"/> stands, for messages.</summary>
    public (int Line, int Column) EmbedderAt { get; set; }

    /// <summary>The line in the config file, for messages.</summary>
    public int Line { get; set; }
}
