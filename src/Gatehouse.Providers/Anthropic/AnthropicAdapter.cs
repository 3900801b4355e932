using System.Net.Http.Headers;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Providers.Anthropic;

/// <summary>Anthropic Messages API: <c>x-api-key</c> and <c>anthropic-version</c> headers, <c>/v1/messages</c>.</summary>
public sealed class AnthropicAdapter : ProviderAdapter
{
    /// <summary>The API version header value the gateway speaks.</summary>
    public const string ApiVersion = "2023-06-01";

    private readonly int _defaultMaxTokens;

    /// <summary>Creates the adapter; <paramref name="defaultMaxTokens"/> fills the required max_tokens when a client sent none.</summary>
    public AnthropicAdapter(ProviderOptions options, int defaultMaxTokens = 4096)
        : base(options) => _defaultMaxTokens = defaultMaxTokens;

    /// <inheritdoc />
    public override Dialect Dialect => Dialect.AnthropicMessages;

    /// <inheritdoc />
    public override bool ReplaceApiKey(HttpRequestMessage message, string apiKey)
    {
        SetHeaderText(message, "x-api-key", apiKey);
        return true;
    }

    /// <inheritdoc />
    public override HttpRequestMessage BuildChatRequest(ChatRequest request, string upstreamModel, ReadOnlyMemory<byte>? passThroughBody)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, Url(ProviderPresets.DefaultBaseUrls["anthropic"], "/v1/messages"));
        if (passThroughBody is { } body)
        {
            message.Content = new ReadOnlyMemoryContent(body);
        }
        else
        {
            message.Content = PooledJsonContent.Create(buffer => AnthropicRequestEncoder.Encode(request, upstreamModel, _defaultMaxTokens, buffer));
        }

        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (!string.IsNullOrEmpty(Options.ApiKey))
        {
            SetHeaderText(message, "x-api-key", Options.ApiKey);
        }

        message.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        AddConfiguredHeaders(message);
        return message;
    }

    /// <inheritdoc />
    public override ChatResponse DecodeChatResponse(ReadOnlyMemory<byte> body, long created) => AnthropicResponseDecoder.Decode(body, created);

    /// <inheritdoc />
    public override IStreamDecoder CreateStreamDecoder() => new AnthropicStreamDecoder();

    /// <inheritdoc />
    public override ChatResponse ReadChatResponseSummary(ReadOnlyMemory<byte> body, long created) => AnthropicResponseSummary.Read(body, created);

    /// <inheritdoc />
    public override IStreamDecoder CreateStreamObserver() => new AnthropicStreamObserver();
}
