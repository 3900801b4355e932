namespace Gatehouse.Providers;

/// <summary>A known OpenAI-compatible service: where it lives and which environment variable holds its key.</summary>
public sealed record ProviderPreset(string Name, string BaseUrl, string? ApiKeyVariable, bool RequiresKey = true);

/// <summary>The built-in presets for OpenAI-compatible providers and the standard key variables of every kind.</summary>
public static class ProviderPresets
{
    /// <summary>OpenAI-compatible presets, keyed by name (also usable as <c>kind</c>).</summary>
    public static IReadOnlyDictionary<string, ProviderPreset> OpenAiCompatible { get; } = new Dictionary<string, ProviderPreset>(StringComparer.Ordinal)
    {
        ["mistral"] = new("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY"),
        ["groq"] = new("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY"),
        ["together"] = new("together", "https://api.together.xyz/v1", "TOGETHER_API_KEY"),
        ["fireworks"] = new("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY"),
        ["deepseek"] = new("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY"),
        ["xai"] = new("xai", "https://api.x.ai/v1", "XAI_API_KEY"),
        ["openrouter"] = new("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
        ["perplexity"] = new("perplexity", "https://api.perplexity.ai", "PERPLEXITY_API_KEY"),
        ["ollama"] = new("ollama", "http://127.0.0.1:11434/v1", "OLLAMA_API_KEY", RequiresKey: false),
        ["vllm"] = new("vllm", "http://127.0.0.1:8000/v1", "VLLM_API_KEY", RequiresKey: false),
    };

    /// <summary>Default base URLs of the first-party kinds.</summary>
    public static IReadOnlyDictionary<string, string> DefaultBaseUrls { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["openai"] = "https://api.openai.com/v1",
        ["anthropic"] = "https://api.anthropic.com",
        ["gemini"] = "https://generativelanguage.googleapis.com",
    };

    /// <summary>The standard key variable of each first-party kind, for the zero-config default.</summary>
    public static IReadOnlyDictionary<string, string> KeyVariables { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["openai"] = "OPENAI_API_KEY",
        ["anthropic"] = "ANTHROPIC_API_KEY",
        ["gemini"] = "GEMINI_API_KEY",
    };
}
