using Gatehouse.Core;
using Gatehouse.Providers.Anthropic;
using Gatehouse.Providers.OpenAi;

namespace Gatehouse.Providers;

/// <summary>Creates the adapter for a provider's kind.</summary>
public static class ProviderAdapterFactory
{
    /// <summary>The kinds the gateway understands (besides preset names, which are also accepted as kinds).</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["openai", "azure", "anthropic", "gemini", "bedrock", "openai-compatible", "mock"];

    /// <summary>Whether a kind name is known.</summary>
    public static bool IsKnownKind(string kind) => Kinds.Contains(kind) || ProviderPresets.OpenAiCompatible.ContainsKey(kind);

    /// <summary>Creates the adapter.</summary>
    public static ProviderAdapter Create(ProviderOptions options) => options.Kind switch
    {
        "openai" => new OpenAiAdapter(options, ProviderPresets.DefaultBaseUrls["openai"]),
        "azure" => new AzureOpenAiAdapter(options),
        "bedrock" => new Bedrock.BedrockAdapter(options, TimeProvider.System),
        "anthropic" => new AnthropicAdapter(options),
        "gemini" => new Gemini.GeminiAdapter(options),
        "mock" => new OpenAiAdapter(options, "http://mock.gatehouse.invalid/v1"),
        "openai-compatible" => new OpenAiAdapter(options, options.BaseUrl ?? throw MissingBaseUrl(options)),
        var preset when ProviderPresets.OpenAiCompatible.TryGetValue(preset, out var p) => new OpenAiAdapter(options, p.BaseUrl),
        _ => throw new GatewayException(new GatewayError(ErrorKind.Internal, $"Provider '{options.Name}' has unknown kind '{options.Kind}'.")),
    };

    private static GatewayException MissingBaseUrl(ProviderOptions options) =>
        new(new GatewayError(ErrorKind.Internal, $"Provider '{options.Name}' (openai-compatible) needs base_url."));
}
