using Gatehouse.Core;

namespace Gatehouse.Providers.OpenAi;

/// <summary>Azure OpenAI: deployments in the URL path, <c>api-version</c> query, <c>api-key</c> header.</summary>
public sealed class AzureOpenAiAdapter : OpenAiAdapter
{
    private readonly string _apiVersion;

    /// <summary>Creates the adapter; a base URL (https://RESOURCE.openai.azure.com/openai) is required.</summary>
    public AzureOpenAiAdapter(ProviderOptions options)
        : base(options, options.BaseUrl ?? throw new GatewayException(new GatewayError(ErrorKind.Internal, $"Provider '{options.Name}' (azure) needs base_url.")))
        => _apiVersion = options.ApiVersion ?? "2024-10-21";

    /// <inheritdoc />
    protected override bool UseMaxCompletionTokens => true;

    /// <inheritdoc />
    protected override Uri ChatUrl(string upstreamModel) =>
        Url(DefaultBaseUrl, $"/deployments/{Uri.EscapeDataString(upstreamModel)}/chat/completions?api-version={Uri.EscapeDataString(_apiVersion)}");

    /// <inheritdoc />
    protected override Uri EmbeddingsUrl(string upstreamModel) =>
        Url(DefaultBaseUrl, $"/deployments/{Uri.EscapeDataString(upstreamModel)}/embeddings?api-version={Uri.EscapeDataString(_apiVersion)}");

    /// <inheritdoc />
    protected override void SetKey(HttpRequestMessage message, string apiKey)
    {
        SetHeaderText(message, "api-key", apiKey);
    }
}
