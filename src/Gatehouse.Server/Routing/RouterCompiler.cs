using Gatehouse.Server.Config;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Server.Routing;

/// <summary>Compiles the configuration's routers for a snapshot: rules, embedders and example vectors.</summary>
public static class RouterCompiler
{
    private static readonly Lazy<IEmbedder> Hashed = new(() => new HashedNgramEmbedder());

    /// <summary>Compiles; throws <see cref="ConfigException"/> when an embedder is not available in this build or cannot embed.</summary>
    public static RouterSet Compile(GatewayConfig config, IReadOnlyDictionary<string, ProviderRuntime> providers, TimeProvider time)
    {
        if (config.Routers.Count == 0)
        {
            return RouterSet.Empty;
        }

        var errors = new List<ConfigError>();
        var byName = new Dictionary<string, Router>(StringComparer.Ordinal);
        foreach (var router in config.Routers)
        {
            var semantic = router.Semantic is { } s ? CompileSemantic(config, router, s, providers, time, errors) : null;
            var compiled = new Router(router.Name, [.. router.Rules.Select(r => new ConditionalRule(r))], semantic, router.Default!.Name);
            byName[router.Name] = compiled;
            foreach (var alias in router.Aliases)
            {
                byName[alias] = compiled;
            }
        }

        return errors.Count > 0 ? throw new ConfigException(errors) : new RouterSet(byName);
    }

    private static SemanticRouter? CompileSemantic(GatewayConfig config, RouterConfig router, SemanticConfig semantic, IReadOnlyDictionary<string, ProviderRuntime> providers, TimeProvider time, List<ConfigError> errors)
    {
        Lazy<IEmbedder> embedder;
        double threshold;
        var name = semantic.Embedder;
        if (name == "hashed")
        {
            (embedder, threshold) = (Hashed, HashedNgramEmbedder.DefaultThreshold);
        }
        else if (name.StartsWith("provider:", StringComparison.Ordinal))
        {
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            var provider = providers[name["provider:".Length..slash]];
            var remote = new ProviderEmbedder(provider, name[(slash + 1)..], time);
            if (!remote.IsSupported)
            {
                errors.Add(Error(config, semantic, $"router '{router.Name}': provider '{provider.Name}' ({provider.Options.Kind}) has no embeddings API; use an OpenAI-compatible, Azure, Gemini, Bedrock or Ollama provider, minilm or hashed."));
                return null;
            }

            (embedder, threshold) = (new Lazy<IEmbedder>(remote), double.NaN);
        }
        else if (!LocalEmbedders.TryGet(name, out embedder, out threshold))
        {
            errors.Add(Error(config, semantic, $"router '{router.Name}': the '{name}' embedder is not part of this build (the gatehouse binary includes it; a library host must reference Gatehouse.Embeddings.MiniLM and register it)."));
            return null;
        }

        var routes = semantic.Routes.Select(r => new SemanticRouteSpec(r.Name, r.Model!.Name, r.Examples, r.Description)).ToList();
        return new SemanticRouter(routes, embedder, name, semantic.Threshold ?? threshold, semantic.Window, semantic.CacheSize, semantic.Timeout, time);
    }

    private static ConfigError Error(GatewayConfig config, SemanticConfig semantic, string message) =>
        new(config.Source, semantic.EmbedderAt.Line, semantic.EmbedderAt.Column, message);
}
