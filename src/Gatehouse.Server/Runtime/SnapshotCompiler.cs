using Gatehouse.Governance.Policies;
using Gatehouse.Providers;
using Gatehouse.Providers.Catalog;
using Gatehouse.Server.Config;
using Gatehouse.Server.Inspection;

namespace Gatehouse.Server.Runtime;

/// <summary>Compiles a validated configuration into an immutable <see cref="GatewaySnapshot"/>.</summary>
public sealed class SnapshotCompiler
{
    private readonly HandlerCache _handlers;

    /// <summary>Creates a compiler that shares connection handlers across snapshots.</summary>
    public SnapshotCompiler(HandlerCache handlers) => _handlers = handlers;

    /// <summary>Compiles; throws <see cref="ConfigException"/> if a provider cannot be built.</summary>
    public GatewaySnapshot Compile(GatewayConfig config)
    {
        ModelCatalog catalog;
        try
        {
            catalog = ModelCatalog.Load(config.Catalog.File);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(config.Catalog.File ?? config.Source, 0, 0, $"catalog: {ex.Message}")]);
        }

        var providers = new Dictionary<string, ProviderRuntime>(StringComparer.Ordinal);
        foreach (var provider in config.Providers)
        {
            var options = ToOptions(provider);
            providers[provider.Name] = new ProviderRuntime(ProviderAdapterFactory.Create(options), _handlers.Get(options));
        }

        var aliases = new Dictionary<string, RouteTarget[]>(StringComparer.Ordinal);
        foreach (var alias in config.Models)
        {
            aliases[alias.Name] = [.. alias.Targets.Select((t, i) => CompileTarget(config, providers, catalog, t, i))];
        }

        // A bare model id ("gpt-4o-mini") resolves when exactly one configured provider's catalog lists it.
        var bare = new Dictionary<string, RouteTarget[]>(StringComparer.Ordinal);
        var ambiguous = new HashSet<string>(StringComparer.Ordinal);
        foreach (var provider in providers.Values)
        {
            foreach (var model in catalog.ForProvider(provider.Options.CatalogProvider))
            {
                if (!bare.TryAdd(model.Id, [new RouteTarget(provider, model.Id, model)]))
                {
                    ambiguous.Add(model.Id);
                }
            }
        }

        foreach (var id in ambiguous)
        {
            bare.Remove(id);
        }

        var guardrails = config.Guardrails.Count == 0 ? GuardrailSet.Empty : GuardrailCompiler.Compile(config.Guardrails, _handlers.Webhooks, _handlers.Time);
        return new GatewaySnapshot(config, providers, aliases, bare, catalog, guardrails)
        {
            PolicySources = LoadPolicies(config),
            Routers = Routing.RouterCompiler.Compile(config, providers, _handlers.Time),
        };
    }

    /// <summary>Reads and validates the policy files the config names; a bad file makes the config invalid.</summary>
    private static List<PolicySource> LoadPolicies(GatewayConfig config)
    {
        if (config.Governance.PolicyFiles.Count == 0)
        {
            return [];
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(config.Source)) ?? ".";
        var sources = new List<PolicySource>();
        var errors = new List<ConfigError>();
        foreach (var (file, line, column) in config.Governance.PolicyFiles)
        {
            var path = Path.IsPathRooted(file) ? file : Path.Combine(directory, file);
            try
            {
                sources.Add(new PolicySource(path, File.ReadAllText(path)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new ConfigError(config.Source, line, column, $"governance.policies: cannot read '{file}': {ex.Message}"));
            }
        }

        foreach (var error in new PolicyLoader().Load(sources).Errors)
        {
            errors.Add(new ConfigError(error.File, error.Line, error.Column, error.Message));
        }

        return errors.Count > 0 ? throw new ConfigException(errors) : sources;
    }

    /// <summary>A target of a virtual model; one that overrides base URL, key or region gets its own adapter.</summary>
    private RouteTarget CompileTarget(GatewayConfig config, Dictionary<string, ProviderRuntime> providers, ModelCatalog catalog, TargetConfig target, int index)
    {
        var provider = providers[target.Provider];
        var name = $"{target.Provider}/{target.Model}";
        if (target.OverridesProvider)
        {
            var options = ToOptions(config.Providers.First(p => p.Name == target.Provider), target);
            provider = new ProviderRuntime(ProviderAdapterFactory.Create(options), _handlers.Get(options));
            name += target.Region is { } region ? $"@{region}" : $"#{index + 1}";
        }

        return new RouteTarget(provider, target.Model, catalog.Find(provider.Options.CatalogProvider, target.Model))
        {
            Name = name,
            MaxRpm = target.MaxRpm,
            MaxTpm = target.MaxTpm,
        };
    }

    private static ProviderOptions ToOptions(ProviderConfig provider, TargetConfig? target = null) => new()
    {
        Name = provider.Name,
        Kind = provider.Kind,
        BaseUrl = target?.BaseUrl ?? provider.BaseUrl,
        ApiKey = target?.ApiKey ?? provider.ApiKey,
        ApiVersion = provider.ApiVersion,
        Region = target?.Region ?? provider.Region,
        AccessKeyId = provider.AccessKeyId,
        SecretAccessKey = provider.SecretAccessKey,
        SessionToken = provider.SessionToken,
        Headers = provider.Headers,
        Models = provider.Models,
        ConnectTimeout = provider.ConnectTimeout ?? TimeSpan.FromSeconds(10),
        FirstByteTimeout = provider.FirstByteTimeout ?? TimeSpan.FromSeconds(120),
        TotalTimeout = provider.Timeout ?? TimeSpan.FromMinutes(10),
        CatalogProvider = provider.Kind == "openai-compatible" ? provider.Name : provider.Kind,
    };
}
