using Gatehouse.Providers;

namespace Gatehouse.Server.Config;

/// <summary>
/// The zero-configuration default: the embedded SQLite store, every provider whose standard key variable is set,
/// and the offline <c>mock</c> provider so a first request answers with no key at all.
/// </summary>
public static class DefaultConfig
{
    /// <summary>Builds the default configuration from environment variables.</summary>
    public static GatewayConfig Create(Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var config = new GatewayConfig { Source = "built-in default" };
        if (env("GATEHOUSE_LISTEN") is { Length: > 0 } listen)
        {
            config.Server.Listen = listen;
        }

        if (env("GATEHOUSE_STORAGE_URL") is { Length: > 0 } storage)
        {
            config.Storage.Url = storage;
        }

        foreach (var (kind, variable) in ProviderPresets.KeyVariables)
        {
            var key = env(variable);
            if (kind == "gemini" && string.IsNullOrEmpty(key))
            {
                key = env("GOOGLE_API_KEY");
            }

            if (!string.IsNullOrEmpty(key))
            {
                config.Providers.Add(new ProviderConfig { Name = kind, Kind = kind, ApiKey = key });
            }
        }

        foreach (var preset in ProviderPresets.OpenAiCompatible.Values)
        {
            if (preset.RequiresKey && preset.ApiKeyVariable is { } variable && env(variable) is { Length: > 0 } key)
            {
                config.Providers.Add(new ProviderConfig { Name = preset.Name, Kind = preset.Name, ApiKey = key });
            }
        }

        if (env("AZURE_OPENAI_API_KEY") is { Length: > 0 } azureKey && env("AZURE_OPENAI_ENDPOINT") is { Length: > 0 } endpoint)
        {
            config.Providers.Add(new ProviderConfig
            {
                Name = "azure",
                Kind = "azure",
                ApiKey = azureKey,
                BaseUrl = endpoint.TrimEnd('/') + (endpoint.TrimEnd('/').EndsWith("/openai", StringComparison.Ordinal) ? string.Empty : "/openai"),
                ApiVersion = env("AZURE_OPENAI_API_VERSION") ?? env("OPENAI_API_VERSION"),
            });
        }

        if (env("AWS_ACCESS_KEY_ID") is { Length: > 0 } accessKey && env("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret)
        {
            config.Providers.Add(new ProviderConfig
            {
                Name = "bedrock",
                Kind = "bedrock",
                Region = env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? "us-east-1",
                AccessKeyId = accessKey,
                SecretAccessKey = secret,
                SessionToken = env("AWS_SESSION_TOKEN"),
            });
        }

        config.Providers.Add(new ProviderConfig { Name = "mock", Kind = "mock" });
        return config;
    }
}
