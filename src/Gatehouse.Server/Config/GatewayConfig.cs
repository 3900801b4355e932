using Gatehouse.Storage.Counters;

namespace Gatehouse.Server.Config;

/// <summary>The typed configuration, as parsed from YAML (before compilation into a runtime snapshot).</summary>
public sealed class GatewayConfig
{
    /// <summary>Where the configuration came from (a file path, or "built-in default").</summary>
    public string Source { get; set; } = "built-in default";

    /// <summary>HTTP server settings.</summary>
    public ServerConfig Server { get; set; } = new();

    /// <summary>Where state is stored.</summary>
    public StorageConfig Storage { get; set; } = new();

    /// <summary>Optional Redis for shared state between replicas.</summary>
    public RedisConfig? Redis { get; set; }

    /// <summary>Model catalog overrides.</summary>
    public CatalogConfig Catalog { get; set; } = new();

    /// <summary>Identity, policy and budget settings.</summary>
    public GovernanceConfig Governance { get; set; } = new();

    /// <summary>Upstream providers.</summary>
    public List<ProviderConfig> Providers { get; set; } = [];

    /// <summary>Virtual models (aliases) served by one or more targets.</summary>
    public List<ModelAliasConfig> Models { get; set; } = [];

    /// <summary>Guardrails on input, output, tool calls and tool results (docs/inspection.md).</summary>
    public List<GuardrailConfig> Guardrails { get; set; } = [];

    /// <summary>Routers: names that choose a model per request by rules and meaning (docs/routing.md).</summary>
    public List<RouterConfig> Routers { get; set; } = [];
}

/// <summary>HTTP server settings.</summary>
public sealed class ServerConfig
{
    /// <summary>host:port to listen on.</summary>
    public string Listen { get; set; } = "127.0.0.1:8080";

    /// <summary>Largest accepted request body in bytes.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long SIGTERM waits for in-flight requests and streams to finish.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Completes socket reads and writes on the socket threads instead of queueing each completion to the thread pool:
    /// fewer thread switches per request, for a gateway with cores of its own. Read once per process, at start.
    /// </summary>
    public bool InlineIo { get; set; }
}

/// <summary>Storage settings.</summary>
public sealed class StorageConfig
{
    /// <summary><c>sqlite://PATH</c> or <c>postgres://…</c>.</summary>
    public string Url { get; set; } = "sqlite://gatehouse.db";
}

/// <summary>Redis settings.</summary>
public sealed class RedisConfig
{
    /// <summary><c>redis://host:port</c>.</summary>
    public string Url { get; set; } = "redis://127.0.0.1:6379";

    /// <summary>While Redis is unreachable: refuse requests that need counters, or count per replica.</summary>
    public CounterFailureMode FailureMode { get; set; } = CounterFailureMode.Closed;

    /// <summary>The first part of every key and channel name, for several deployments on one Redis.</summary>
    public string KeyPrefix { get; set; } = "gh";
}

/// <summary>Governance settings (keys, limits and budgets themselves live in the store, managed through the admin API and CLI).</summary>
public sealed class GovernanceConfig
{
    /// <summary>A URL that receives a JSON POST when a budget crosses one of its soft thresholds.</summary>
    public string? BudgetAlertWebhook { get; set; }

    /// <summary>Policy files (relative to the config file), with where each was named, for error positions.</summary>
    public List<(string Path, int Line, int Column)> PolicyFiles { get; } = [];

    /// <summary>Per-identity anomaly detection.</summary>
    public AnomalyConfig Anomaly { get; set; } = new();

    /// <summary>Trusted OIDC/JWT issuers; bearer tokens that are not Gatehouse keys are validated against them.</summary>
    public List<Gatehouse.Governance.Identity.Jwt.JwtIssuerOptions> Jwt { get; } = [];
}

/// <summary>Model catalog settings.</summary>
public sealed class CatalogConfig
{
    /// <summary>A JSON file whose models replace or extend the shipped catalog.</summary>
    public string? File { get; set; }
}

/// <summary>One upstream provider.</summary>
public sealed class ProviderConfig
{
    /// <summary>The name clients use as model prefix.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The adapter kind or a preset name.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>Base URL override.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>API key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Azure api-version.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>AWS region.</summary>
    public string? Region { get; set; }

    /// <summary>AWS access key id.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>AWS secret access key.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>AWS session token.</summary>
    public string? SessionToken { get; set; }

    /// <summary>Extra headers.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Model allow-list.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Connect timeout.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>Time-to-first-byte timeout.</summary>
    public TimeSpan? FirstByteTimeout { get; set; }

    /// <summary>Total timeout per attempt.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>The line in the config file, for messages.</summary>
    public int Line { get; set; }
}
