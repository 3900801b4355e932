using Gatehouse.Providers;

namespace Gatehouse.Server.Config;

/// <summary>Checks the relations inside a parsed configuration (names, references, required settings per kind).</summary>
internal static class ConfigValidator
{
    public static void Validate(GatewayConfig config, string file, List<ConfigError> errors)
    {
        void Add(int line, string message) => errors.Add(new ConfigError(file, line, 1, message));

        if (!ListenAddress.TryParse(config.Server.Listen, out _))
        {
            Add(0, $"'server.listen' must be host:port (for example 127.0.0.1:8080); got \"{config.Server.Listen}\".");
        }

        // storage.url and redis are checked where they stand in the file (StateConfigReader).

        if (config.Catalog.File is { } catalogFile && !File.Exists(catalogFile))
        {
            Add(0, $"'catalog.file' {catalogFile} does not exist.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var provider in config.Providers)
        {
            if (provider.Name.Length > 0 && !names.Add(provider.Name))
            {
                Add(provider.Line, $"provider name '{provider.Name}' is used twice; names must be unique.");
            }

            if (provider.Name.Contains('/', StringComparison.Ordinal))
            {
                Add(provider.Line, $"provider name '{provider.Name}' must not contain '/'.");
            }

            if (provider.Kind.Length > 0 && !ProviderAdapterFactory.IsKnownKind(provider.Kind))
            {
                var hint = YamlNodeReader.Closest(provider.Kind, [.. ProviderAdapterFactory.Kinds, .. ProviderPresets.OpenAiCompatible.Keys]);
                Add(provider.Line, $"provider '{provider.Name}': unknown kind '{provider.Kind}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
            }

            foreach (var (name, value) in HeaderValues(provider))
            {
                if (!HeaderText.IsSafe(value))
                {
                    Add(provider.Line, $"provider '{provider.Name}': {name} contains a line break or another control character, which an HTTP header cannot carry. Check the value (a key file read with its trailing newline is a common cause).");
                }
            }

            if (provider.BaseUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                Add(provider.Line, $"provider '{provider.Name}': base_url \"{url}\" is not an absolute URL.");
            }

            switch (provider.Kind)
            {
                case "azure" when provider.BaseUrl is null:
                    Add(provider.Line, $"provider '{provider.Name}' (azure) needs base_url, such as https://RESOURCE.openai.azure.com/openai.");
                    break;
                case "openai-compatible" when provider.BaseUrl is null:
                    Add(provider.Line, $"provider '{provider.Name}' (openai-compatible) needs base_url.");
                    break;
                case "bedrock" when provider.Region is null && provider.BaseUrl is null:
                    Add(provider.Line, $"provider '{provider.Name}' (bedrock) needs region (for example us-east-1).");
                    break;
                case "bedrock" when provider.AccessKeyId is null || provider.SecretAccessKey is null:
                    Add(provider.Line, $"provider '{provider.Name}' (bedrock) needs access_key_id and secret_access_key.");
                    break;
            }
        }

        var aliases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alias in config.Models)
        {
            if (alias.Name.Length > 0 && !aliases.Add(alias.Name))
            {
                Add(alias.Line, $"model name '{alias.Name}' is defined twice.");
            }

            foreach (var target in alias.Targets)
            {
                if (target.ApiKey is { } targetKey && !HeaderText.IsSafe(targetKey))
                {
                    Add(target.Line, $"model '{alias.Name}': a target's api_key contains a line break or another control character, which an HTTP header cannot carry.");
                }

                if (target.Provider.Length > 0 && !names.Contains(target.Provider))
                {
                    var hint = YamlNodeReader.Closest(target.Provider, names);
                    Add(target.Line, $"model '{alias.Name}': target provider '{target.Provider}' is not defined under providers{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
                }
            }
        }

        foreach (var alias in config.Models)
        {
            foreach (var fallback in alias.Fallbacks)
            {
                if (fallback.Model == alias.Name)
                {
                    Add(fallback.Line, $"model '{alias.Name}': a fallback cannot be the model itself.");
                }
                else if (!aliases.Contains(fallback.Model) && !IsProviderModel(fallback.Model, names))
                {
                    var hint = YamlNodeReader.Closest(fallback.Model, aliases);
                    Add(fallback.Line, $"model '{alias.Name}': fallback '{fallback.Model}' is neither a model defined under models nor provider/model of a configured provider{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
                }
            }
        }

        GuardrailValidator.Validate(config, file, errors);
        RouterValidator.Validate(config, file, errors);
    }

    private static bool IsProviderModel(string name, HashSet<string> providers)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < name.Length - 1 && providers.Contains(name[..slash]);
    }

    // The provider settings that go into request headers as they are.
    private static IEnumerable<(string Name, string Value)> HeaderValues(ProviderConfig provider)
    {
        foreach (var (name, value) in new[] { ("api_key", provider.ApiKey), ("session_token", provider.SessionToken), ("access_key_id", provider.AccessKeyId) })
        {
            if (value is not null)
            {
                yield return (name, value);
            }
        }

        foreach (var (header, value) in provider.Headers)
        {
            yield return ($"headers.{header}", value);
        }
    }
}
