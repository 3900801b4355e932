namespace Gatehouse.Providers.Catalog;

/// <summary>What the catalog knows about one model: limits, prices per million tokens, capabilities.</summary>
public sealed record ModelInfo
{
    /// <summary>The catalog provider key (openai, anthropic, gemini, bedrock, azure, or a preset name).</summary>
    public required string Provider { get; init; }

    /// <summary>The provider's model id.</summary>
    public required string Id { get; init; }

    /// <summary>chat or embedding.</summary>
    public string Mode { get; init; } = "chat";

    /// <summary>Maximum input plus output tokens.</summary>
    public int ContextWindow { get; init; }

    /// <summary>Maximum output tokens.</summary>
    public int MaxOutput { get; init; }

    /// <summary>USD per million uncached input tokens.</summary>
    public decimal InputPrice { get; init; }

    /// <summary>USD per million output tokens.</summary>
    public decimal OutputPrice { get; init; }

    /// <summary>USD per million cached input tokens read, if the provider caches.</summary>
    public decimal? CachedInputPrice { get; init; }

    /// <summary>USD per million tokens written to the cache, if billed separately.</summary>
    public decimal? CacheWritePrice { get; init; }

    /// <summary>USD per million reasoning tokens, if billed differently from output.</summary>
    public decimal? ReasoningPrice { get; init; }

    /// <summary>Capability flags: tools, vision, json, reasoning, streaming.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Whether the model has a capability.</summary>
    public bool Has(string capability) => Capabilities.Contains(capability);
}
