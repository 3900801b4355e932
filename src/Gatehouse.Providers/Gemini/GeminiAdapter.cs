using System.Net.Http.Headers;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Gemini;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Providers.Gemini;

/// <summary>Google Gemini API: <c>x-goog-api-key</c> header, <c>/v1beta/models/{model}:generateContent</c> and friends.</summary>
public sealed class GeminiAdapter : ProviderAdapter
{
    private static readonly string DefaultBaseUrl = ProviderPresets.DefaultBaseUrls["gemini"];

    /// <summary>Creates the adapter.</summary>
    public GeminiAdapter(ProviderOptions options)
        : base(options)
    {
    }

    /// <inheritdoc />
    public override Dialect Dialect => Dialect.Gemini;

    /// <inheritdoc />
    public override HttpRequestMessage BuildChatRequest(ChatRequest request, string upstreamModel, ReadOnlyMemory<byte>? passThroughBody)
    {
        // No client speaks the Gemini dialect to the gateway, so there is never a pass-through body: always encode.
        var method = request.Stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        return CreateRequest(ModelUrl(upstreamModel, method), PooledJsonContent.Create(buffer => GeminiRequestEncoder.Encode(request, buffer)));
    }

    /// <inheritdoc />
    public override ChatResponse DecodeChatResponse(ReadOnlyMemory<byte> body, long created) => GeminiResponseDecoder.Decode(body, created);

    /// <inheritdoc />
    public override IStreamDecoder CreateStreamDecoder() => new GeminiStreamDecoder();

    /// <inheritdoc />
    public override HttpRequestMessage? BuildEmbeddingsRequest(EmbeddingsRequest request, string upstreamModel)
    {
        var model = ModelName(upstreamModel);
        return CreateRequest(ModelUrl(upstreamModel, ":batchEmbedContents"), PooledJsonContent.Create(buffer => GeminiEmbeddingsCodec.EncodeRequest(request, model, buffer)));
    }

    /// <inheritdoc />
    public override EmbeddingsResponse DecodeEmbeddingsResponse(ReadOnlyMemory<byte> body) => GeminiEmbeddingsCodec.DecodeResponse(body);

    /// <inheritdoc />
    public override GatewayError MapError(int status, ReadOnlySpan<byte> body, HttpResponseHeaders headers) =>
        GeminiErrors.Map(Options.Name, status, body, headers);

    /// <summary>The model id without the optional <c>models/</c> prefix Google's own names carry.</summary>
    private static string ModelName(string upstreamModel) =>
        upstreamModel.StartsWith("models/", StringComparison.Ordinal) ? upstreamModel["models/".Length..] : upstreamModel;

    private Uri ModelUrl(string upstreamModel, string method)
    {
        // A base URL configured with its API version (…/v1beta, …/v1) is used as is.
        var baseUrl = (Options.BaseUrl ?? DefaultBaseUrl).TrimEnd('/');
        var versioned = baseUrl.EndsWith("/v1beta", StringComparison.Ordinal) || baseUrl.EndsWith("/v1", StringComparison.Ordinal);
        var path = $"{(versioned ? string.Empty : "/v1beta")}/models/{Uri.EscapeDataString(ModelName(upstreamModel))}{method}";
        return Url(DefaultBaseUrl, path);
    }

    /// <inheritdoc />
    public override bool ReplaceApiKey(HttpRequestMessage message, string apiKey)
    {
        SetHeaderText(message, "x-goog-api-key", apiKey);
        return true;
    }

    private HttpRequestMessage CreateRequest(Uri url, PooledJsonContent content)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (!string.IsNullOrEmpty(Options.ApiKey))
        {
            SetHeaderText(message, "x-goog-api-key", Options.ApiKey);
        }

        AddConfiguredHeaders(message);
        return message;
    }
}
