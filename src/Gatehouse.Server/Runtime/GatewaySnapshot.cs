using System.Collections.Concurrent;
using Gatehouse.Core;
using Gatehouse.Providers.Catalog;
using Gatehouse.Server.Config;
using Gatehouse.Server.Inspection;

namespace Gatehouse.Server.Runtime;

/// <summary>
/// The compiled, immutable runtime state of one configuration: providers, virtual models and the catalog.
/// A request keeps the snapshot it started with; reloads swap in a new one.
/// </summary>
public sealed class GatewaySnapshot
{
    /// <summary>How many <c>provider/model</c> names the direct-target cache holds at most.</summary>
    private const int MaxCachedDirectTargets = 4096;

    /// <summary>Longer names are resolved every time, never cached: the cache must not pin what clients send.</summary>
    private const int MaxCachedNameLength = 256;

    private readonly Dictionary<string, RouteTarget[]> _aliases;
    private readonly Dictionary<string, ModelAliasConfig> _aliasConfigs;
    private readonly Dictionary<string, RoutingStrategy> _strategies;
    private readonly Dictionary<string, RouteTarget[]> _bareModelIds;

    /// <summary>
    /// <c>provider/model</c> names already resolved, so a request does not build its target again. Clients choose
    /// the names (a provider without a model list accepts any), so the cache stops growing at a bound.
    /// </summary>
    private readonly ConcurrentDictionary<string, RouteTarget[]> _directTargets = new(StringComparer.Ordinal);

    private int _directTargetCount;

    /// <summary>Creates a snapshot; use <see cref="SnapshotCompiler"/>.</summary>
    internal GatewaySnapshot(
        GatewayConfig config,
        Dictionary<string, ProviderRuntime> providers,
        Dictionary<string, RouteTarget[]> aliases,
        Dictionary<string, RouteTarget[]> bareModelIds,
        ModelCatalog catalog,
        GuardrailSet? guardrails = null)
    {
        Guardrails = guardrails ?? GuardrailSet.Empty;
        Config = config;
        _aliasConfigs = config.Models.ToDictionary(m => m.Name, StringComparer.Ordinal);
        _strategies = config.Models.ToDictionary(m => m.Name, m => new RoutingStrategy(m.Strategy, [.. m.Targets.Select(t => t.Weight)]), StringComparer.Ordinal);
        Providers = providers;
        _aliases = aliases;
        _bareModelIds = bareModelIds;
        Catalog = catalog;
    }

    /// <summary>The validated policy files the configuration names (combined with stored policies at evaluation).</summary>
    public IReadOnlyList<Gatehouse.Governance.Policies.PolicySource> PolicySources { get; init; } = [];

    /// <summary>The configuration this snapshot was compiled from.</summary>
    public GatewayConfig Config { get; }

    /// <summary>Providers by name.</summary>
    public IReadOnlyDictionary<string, ProviderRuntime> Providers { get; }

    /// <summary>The compiled guardrails; <see cref="GuardrailSet.Empty"/> when none are configured.</summary>
    public GuardrailSet Guardrails { get; }

    /// <summary>The model catalog.</summary>
    public ModelCatalog Catalog { get; }

    /// <summary>The routers (names that choose a model per request); <see cref="Routing.RouterSet.Empty"/> when none are configured.</summary>
    public Routing.RouterSet Routers { get; init; } = Routing.RouterSet.Empty;

    /// <summary>Virtual model names.</summary>
    public IEnumerable<string> AliasNames => _aliases.Keys;

    /// <summary>Resolves a requested model name: an alias, <c>provider/model</c>, or a bare id one provider's catalog knows.</summary>
    public ModelResolution Resolve(string requested)
    {
        if (_aliases.TryGetValue(requested, out var targets))
        {
            var alias = _aliasConfigs[requested];
            return new ModelResolution(targets, null) { Retry = alias.Retry, CircuitBreaker = alias.CircuitBreaker, Strategy = _strategies[requested], Group = alias };
        }

        if (_directTargets.TryGetValue(requested, out targets))
        {
            return new ModelResolution(targets, null);
        }

        var slash = requested.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && Providers.TryGetValue(requested[..slash], out var provider))
        {
            var model = requested[(slash + 1)..];
            if (model.Length > 0 && (provider.Options.Models.Count == 0 || provider.Options.Models.Contains(model)))
            {
                targets = [new RouteTarget(provider, model, Catalog.Find(provider.Options.CatalogProvider, model))];
                if (requested.Length <= MaxCachedNameLength && Volatile.Read(ref _directTargetCount) < MaxCachedDirectTargets
                    && _directTargets.TryAdd(requested, targets))
                {
                    Interlocked.Increment(ref _directTargetCount);
                }

                return new ModelResolution(targets, null);
            }
        }

        if (_bareModelIds.TryGetValue(requested, out targets))
        {
            return new ModelResolution(targets, null);
        }

        return new ModelResolution(null, NotFound(requested));
    }

    /// <summary>Every model name this gateway can serve, for <c>GET /v1/models</c>.</summary>
    public IEnumerable<(string Id, string OwnedBy)> ListModels()
    {
        foreach (var alias in _aliases.Keys)
        {
            yield return (alias, "gatehouse");
        }

        foreach (var router in Routers.Names)
        {
            yield return (router, "gatehouse");
        }

        foreach (var provider in Providers.Values)
        {
            if (provider.Options.Models.Count > 0)
            {
                foreach (var model in provider.Options.Models)
                {
                    yield return ($"{provider.Name}/{model}", provider.Name);
                }

                continue;
            }

            foreach (var model in Catalog.ForProvider(provider.Options.CatalogProvider))
            {
                yield return ($"{provider.Name}/{model.Id}", provider.Name);
            }
        }
    }

    private GatewayError NotFound(string requested)
    {
        var suggestions = ListModels()
            .Select(m => (m.Id, Distance: EditDistance.Compute(requested, m.Id)))
            .Where(m => m.Distance <= Math.Max(3, requested.Length / 3))
            .OrderBy(m => m.Distance)
            .Take(3)
            .Select(m => m.Id)
            .ToList();
        var hint = suggestions.Count > 0 ? $" Did you mean: {string.Join(", ", suggestions)}?" : string.Empty;
        var slash = requested.IndexOf('/', StringComparison.Ordinal);
        var providerHint = slash > 0 && !Providers.ContainsKey(requested[..slash])
            ? $" No provider named '{requested[..slash]}' is configured (configured: {string.Join(", ", Providers.Keys)})."
            : string.Empty;
        return new GatewayError(
            ErrorKind.NotFound,
            $"The model '{requested}' does not exist or is not served by this gateway.{providerHint}{hint} GET /v1/models lists the models you can use.",
            "model_not_found",
            "model");
    }
}
