namespace Gatehouse.Providers;

/// <summary>One configured upstream provider, as compiled from configuration.</summary>
public sealed class ProviderOptions
{
    /// <summary>The name clients use as the model prefix (<c>name/model</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The adapter kind: openai, azure, anthropic, gemini, bedrock, openai-compatible, mock, or a preset name.</summary>
    public required string Kind { get; init; }

    /// <summary>The base URL; defaults per kind.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>The API key (already interpolated from the environment). Never logged.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Azure OpenAI api-version.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>AWS region for Bedrock.</summary>
    public string? Region { get; init; }

    /// <summary>AWS access key id for Bedrock.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>AWS secret access key for Bedrock. Never logged.</summary>
    public string? SecretAccessKey { get; init; }

    /// <summary>AWS session token for temporary Bedrock credentials. Never logged.</summary>
    public string? SessionToken { get; init; }

    /// <summary>Extra headers sent with every upstream request.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Time allowed to establish a connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed until response headers (or the first stream event) arrive.</summary>
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Total time allowed for one attempt, streaming included.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Optional allow-list of model ids this provider serves; empty means any.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>The catalog key used for prices (the kind, or the preset name for OpenAI-compatible providers).</summary>
    public string CatalogProvider { get; init; } = string.Empty;
}
