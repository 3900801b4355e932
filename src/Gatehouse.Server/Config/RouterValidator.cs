namespace Gatehouse.Server.Config;

/// <summary>Checks routers against the rest of the configuration: unique names that no virtual model uses, and models and embedders that exist.</summary>
internal static class RouterValidator
{
    private static readonly System.Buffers.SearchValues<char> NameForbidden = System.Buffers.SearchValues.Create("=;, \"/");

    public static void Validate(GatewayConfig config, string file, List<ConfigError> errors)
    {
        if (config.Routers.Count == 0)
        {
            return;
        }

        var providers = config.Providers.Where(p => p.Name.Length > 0).GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var aliases = new HashSet<string>(config.Models.Select(m => m.Name), StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var router in config.Routers)
        {
            foreach (var name in (IEnumerable<string>)[router.Name, .. router.Aliases])
            {
                if (name.Length == 0)
                {
                    continue;
                }

                if (aliases.Contains(name))
                {
                    Add(router.Line, 1, $"router name '{name}' is also a virtual model under models; a name clients ask for must mean one thing.");
                }
                else if (!names.Add(name))
                {
                    Add(router.Line, 1, $"router name '{name}' is used twice; router names and aliases must be unique.");
                }

                if (name.AsSpan().IndexOfAny(NameForbidden) >= 0)
                {
                    Add(router.Line, 1, $"router name '{name}' must not contain '/', '=', ';', ',', quotes or spaces.");
                }
            }

            var ruleNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var rule in router.Rules)
            {
                CheckPart(router, rule.Name, rule.Line, ruleNames, "rule");
                CheckModel(router, rule.Model);
            }

            CheckModel(router, router.Default);
            if (router.Semantic is not { } semantic)
            {
                continue;
            }

            var routeNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var route in semantic.Routes)
            {
                CheckPart(router, route.Name, route.Line, routeNames, "semantic route");
                CheckModel(router, route.Model);
            }

            if (semantic.Embedder.StartsWith("provider:", StringComparison.Ordinal) && RouterConfigReader.IsEmbedderName(semantic.Embedder))
            {
                var provider = semantic.Embedder["provider:".Length..semantic.Embedder.IndexOf('/', StringComparison.Ordinal)];
                if (!providers.ContainsKey(provider))
                {
                    var hint = YamlNodeReader.Closest(provider, providers.Keys);
                    Add(semantic.EmbedderAt.Line, semantic.EmbedderAt.Column, $"router '{router.Name}': embedder provider '{provider}' is not defined under providers{Hint(hint)}");
                }
            }
        }

        void CheckPart(RouterConfig router, string name, int line, HashSet<string> seen, string what)
        {
            if (name.Length > 0 && !seen.Add(name))
            {
                Add(line, 1, $"router '{router.Name}': {what} name '{name}' is used twice.");
            }

            if (name.AsSpan().IndexOfAny(NameForbidden) >= 0)
            {
                Add(line, 1, $"router '{router.Name}': {what} name '{name}' must not contain '/', '=', ';', ',', quotes or spaces (it appears in the x-gatehouse-route header).");
            }
        }

        void CheckModel(RouterConfig router, ModelReference? model)
        {
            if (model is null || aliases.Contains(model.Name))
            {
                return;
            }

            if (names.Contains(model.Name) || config.Routers.Any(r => r.Name == model.Name || r.Aliases.Contains(model.Name)))
            {
                Add(model.Line, model.Column, $"router '{router.Name}': '{model.Name}' is a router; a router chooses a virtual model or provider/model, not another router.");
                return;
            }

            var slash = model.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && providers.TryGetValue(model.Name[..slash], out var provider))
            {
                var id = model.Name[(slash + 1)..];
                if (id.Length > 0 && (provider.Models.Count == 0 || provider.Models.Contains(id)))
                {
                    return;
                }

                Add(model.Line, model.Column, $"router '{router.Name}': provider '{provider.Name}' does not serve '{id}' (its models list: {string.Join(", ", provider.Models)}).");
                return;
            }

            var hint = YamlNodeReader.Closest(model.Name, [.. aliases, .. providers.Keys.Select(p => p + "/")]);
            Add(model.Line, model.Column, $"router '{router.Name}': model '{model.Name}' is neither a virtual model under models nor provider/model of a configured provider{Hint(hint)}");
        }

        void Add(int line, int column, string message) => errors.Add(new ConfigError(file, line, column, message));
    }

    private static string Hint(string? hint) => hint is null ? "." : $"; did you mean '{hint}'?";
}
