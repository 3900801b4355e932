namespace Gatehouse.Server.Config;

/// <summary>Checks guardrails against the rest of the configuration: unique names, and models that exist.</summary>
internal static class GuardrailValidator
{
    public static void Validate(GatewayConfig config, string file, List<ConfigError> errors)
    {
        if (config.Guardrails.Count == 0)
        {
            return;
        }

        var providers = new HashSet<string>(config.Providers.Select(p => p.Name), StringComparer.Ordinal);
        var aliases = new HashSet<string>(config.Models.Select(m => m.Name), StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in config.Guardrails)
        {
            if (g.Name.Length > 0 && !names.Add(g.Name))
            {
                errors.Add(new ConfigError(file, g.Line, 1, $"guardrail name '{g.Name}' is used twice; names must be unique."));
            }

            if (g.Name.AsSpan().IndexOfAny("=;, \"") >= 0)
            {
                errors.Add(new ConfigError(file, g.Line, 1, $"guardrail name '{g.Name}' must not contain '=', ';', ',', quotes or spaces (it appears in the x-gatehouse-guardrails header)."));
            }

            CheckModel(g.Detector == "llm_judge" ? g.Model : null, "model");
            CheckModel(g.Action == "route" ? g.RouteTo : null, "route_to");

            void CheckModel(string? model, string key)
            {
                if (model is null || aliases.Contains(model))
                {
                    return;
                }

                var slash = model.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && providers.Contains(model[..slash]))
                {
                    return;
                }

                var hint = YamlNodeReader.Closest(model, [.. aliases, .. providers.Select(p => p + "/")]);
                errors.Add(new ConfigError(file, g.Line, 1, $"guardrail '{g.Name}': {key} '{model}' is neither a virtual model under models nor provider/model of a configured provider{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}"));
            }
        }
    }
}
