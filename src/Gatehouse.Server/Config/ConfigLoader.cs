using Gatehouse.Providers;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Server.Config;

/// <summary>Parses and validates a YAML configuration file, reporting every problem at once with file:line:column.</summary>
public sealed class ConfigLoader
{
    private static readonly string[] RootKeys = ["server", "storage", "redis", "catalog", "governance", "providers", "models", "guardrails", "routers"];
    private static readonly string[] ServerKeys = ["listen", "max_body_bytes", "shutdown_timeout", "inline_io"];
    private static readonly string[] ProviderKeys =
    [
        "name", "kind", "base_url", "api_key", "api_version", "region", "access_key_id", "secret_access_key",
        "session_token", "headers", "models", "connect_timeout", "first_byte_timeout", "timeout",
    ];

    private readonly EnvInterpolator _env;

    /// <summary>Creates a loader that resolves <c>${env:…}</c> through <paramref name="env"/>.</summary>
    public ConfigLoader(EnvInterpolator? env = null) => _env = env ?? new EnvInterpolator();

    /// <summary>Loads a file; throws <see cref="ConfigException"/> listing every problem.</summary>
    public GatewayConfig LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(path, 0, 0, $"cannot read the file: {ex.Message}")]);
        }

        return Load(text, path);
    }

    /// <summary>Loads YAML text; <paramref name="file"/> names it in messages.</summary>
    public GatewayConfig Load(string yaml, string file)
    {
        var reader = new YamlNodeReader(file, _env);
        var config = new GatewayConfig { Source = file };
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ConfigException([new ConfigError(file, (int)ex.Start.Line, (int)ex.Start.Column, $"invalid YAML: {ex.InnerException?.Message ?? ex.Message}")]);
        }

        if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is not YamlScalarNode { Value: null or "" })
        {
            foreach (var (key, value) in reader.Entries(stream.Documents[0].RootNode, "config", RootKeys))
            {
                switch (key)
                {
                    case "server":
                        ReadServer(reader, value, config.Server);
                        break;
                    case "storage":
                        foreach (var (k, v) in reader.Entries(value, "storage", ["url"]))
                        {
                            config.Storage.Url = reader.String(v, $"storage.{k}") ?? config.Storage.Url;
                            StateConfigReader.CheckStorageUrl(reader, v, config.Storage.Url);
                        }

                        break;
                    case "redis":
                        config.Redis = StateConfigReader.ReadRedis(reader, value);
                        break;
                    case "governance":
                        GovernanceConfigReader.Read(reader, value, config.Governance);
                        break;
                    case "catalog":
                        foreach (var (k, v) in reader.Entries(value, "catalog", ["file"]))
                        {
                            config.Catalog.File = reader.String(v, $"catalog.{k}");
                        }

                        break;
                    case "providers":
                        var i = 0;
                        foreach (var item in reader.Items(value, "providers"))
                        {
                            config.Providers.Add(ReadProvider(reader, item, $"providers[{i++}]"));
                        }

                        break;
                    case "models":
                        var j = 0;
                        foreach (var item in reader.Items(value, "models"))
                        {
                            config.Models.Add(ModelAliasConfigReader.Read(reader, item, $"models[{j++}]"));
                        }

                        break;
                    case "guardrails":
                        config.Guardrails = GuardrailConfigReader.Read(reader, value);
                        break;
                    case "routers":
                        config.Routers = RouterConfigReader.Read(reader, value);
                        break;
                }
            }
        }

        ConfigValidator.Validate(config, file, reader.Errors);
        if (reader.Errors.Count > 0)
        {
            throw new ConfigException(reader.Errors);
        }

        return config;
    }

    private static void ReadServer(YamlNodeReader reader, YamlNode node, ServerConfig server)
    {
        foreach (var (key, value) in reader.Entries(node, "server", ServerKeys))
        {
            switch (key)
            {
                case "listen":
                    server.Listen = reader.String(value, "server.listen") ?? server.Listen;
                    break;
                case "max_body_bytes":
                    server.MaxBodyBytes = reader.Long(value, "server.max_body_bytes", 1024) ?? server.MaxBodyBytes;
                    break;
                case "shutdown_timeout":
                    server.ShutdownTimeout = reader.Duration(value, "server.shutdown_timeout") ?? server.ShutdownTimeout;
                    break;
                case "inline_io":
                    server.InlineIo = reader.Bool(value, "server.inline_io") ?? server.InlineIo;
                    break;
            }
        }
    }

    private static ProviderConfig ReadProvider(YamlNodeReader reader, YamlNode node, string path)
    {
        var provider = new ProviderConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in reader.Entries(node, path, ProviderKeys))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "name": provider.Name = reader.String(value, at) ?? string.Empty; break;
                case "kind": provider.Kind = reader.String(value, at) ?? string.Empty; break;
                case "base_url": provider.BaseUrl = reader.String(value, at); break;
                case "api_key": provider.ApiKey = reader.String(value, at); break;
                case "api_version": provider.ApiVersion = reader.String(value, at); break;
                case "region": provider.Region = reader.String(value, at); break;
                case "access_key_id": provider.AccessKeyId = reader.String(value, at); break;
                case "secret_access_key": provider.SecretAccessKey = reader.String(value, at); break;
                case "session_token": provider.SessionToken = reader.String(value, at); break;
                case "headers": provider.Headers = reader.StringMap(value, at); break;
                case "models": provider.Models = reader.StringList(value, at); break;
                case "connect_timeout": provider.ConnectTimeout = reader.Duration(value, at); break;
                case "first_byte_timeout": provider.FirstByteTimeout = reader.Duration(value, at); break;
                case "timeout": provider.Timeout = reader.Duration(value, at); break;
            }
        }

        if (provider.Name.Length == 0)
        {
            reader.Error(node, $"'{path}.name' is required: the prefix clients use, as in \"NAME/model\".");
        }

        if (provider.Kind.Length == 0)
        {
            reader.Error(node, $"'{path}.kind' is required: one of {string.Join(", ", ProviderAdapterFactory.Kinds)} or a preset ({string.Join(", ", ProviderPresets.OpenAiCompatible.Keys)}).");
        }

        return provider;
    }
}
