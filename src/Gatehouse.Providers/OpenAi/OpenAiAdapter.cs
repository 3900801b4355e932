using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Providers.OpenAi;

/// <summary>OpenAI and every OpenAI-compatible upstream (presets, vLLM, Ollama, the mock): Bearer auth, <c>/chat/completions</c>.</summary>
public class OpenAiAdapter : ProviderAdapter
{
    private string? _configuredAuthorization;

    /// <summary>Creates the adapter; <paramref name="defaultBaseUrl"/> applies when the config gives none.</summary>
    public OpenAiAdapter(ProviderOptions options, string defaultBaseUrl)
        : base(options) => DefaultBaseUrl = defaultBaseUrl;

    /// <summary>The base URL used when the configuration gives none.</summary>
    protected string DefaultBaseUrl { get; }

    /// <inheritdoc />
    public override Dialect Dialect => Dialect.OpenAiChat;

    /// <summary>Whether to send <c>max_completion_tokens</c> (OpenAI's current name) instead of <c>max_tokens</c>.</summary>
    protected virtual bool UseMaxCompletionTokens => Options.Kind == "openai";

    /// <inheritdoc />
    public override HttpRequestMessage BuildChatRequest(ChatRequest request, string upstreamModel, ReadOnlyMemory<byte>? passThroughBody)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, ChatUrl(upstreamModel));
        message.Content = passThroughBody is { } body
            ? JsonContent(body)
            : JsonContent(writer => OpenAiChatRequestEncoder.Encode(request, upstreamModel, writer, UseMaxCompletionTokens));
        Authorize(message);
        AddConfiguredHeaders(message);
        return message;
    }

    /// <inheritdoc />
    public override ChatResponse DecodeChatResponse(ReadOnlyMemory<byte> body, long created) => OpenAiChatResponseDecoder.Decode(body);

    /// <inheritdoc />
    public override IStreamDecoder CreateStreamDecoder() => new OpenAiStreamDecoder();

    /// <inheritdoc />
    public override ChatResponse ReadChatResponseSummary(ReadOnlyMemory<byte> body, long created) => OpenAiChatResponseSummary.Read(body);

    /// <inheritdoc />
    public override IStreamDecoder CreateStreamObserver() => new OpenAiStreamObserver();

    /// <inheritdoc />
    public override HttpRequestMessage? BuildEmbeddingsRequest(EmbeddingsRequest request, string upstreamModel)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, EmbeddingsUrl(upstreamModel))
        {
            Content = JsonContent(writer => OpenAiEmbeddingsCodec.EncodeRequest(request, upstreamModel, writer)),
        };
        Authorize(message);
        AddConfiguredHeaders(message);
        return message;
    }

    /// <inheritdoc />
    public override EmbeddingsResponse DecodeEmbeddingsResponse(ReadOnlyMemory<byte> body) => OpenAiEmbeddingsCodec.DecodeResponse(body);

    /// <summary>The chat completions URL.</summary>
    protected virtual Uri ChatUrl(string upstreamModel) => Url(DefaultBaseUrl, "/chat/completions");

    /// <summary>The embeddings URL.</summary>
    protected virtual Uri EmbeddingsUrl(string upstreamModel) => Url(DefaultBaseUrl, "/embeddings");

    /// <inheritdoc />
    public override bool ReplaceApiKey(HttpRequestMessage message, string apiKey)
    {
        SetKey(message, apiKey);
        return true;
    }

    /// <summary>Sets the key header this provider expects, replacing any.</summary>
    protected virtual void SetKey(HttpRequestMessage message, string apiKey)
    {
        // The header as text, built once for the configured key: a parsed AuthenticationHeaderValue is formatted
        // again on every send.
        var value = apiKey == Options.ApiKey ? _configuredAuthorization ??= "Bearer " + apiKey : "Bearer " + apiKey;
        SetHeaderText(message, "Authorization", value);
    }

    /// <summary>Adds the credentials.</summary>
    protected virtual void Authorize(HttpRequestMessage message)
    {
        if (!string.IsNullOrEmpty(Options.ApiKey))
        {
            SetKey(message, Options.ApiKey);
        }
    }

    /// <summary>Wraps already-encoded JSON bytes as request content.</summary>
    protected static HttpContent JsonContent(ReadOnlyMemory<byte> body)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", PooledJsonContent.MediaType);
        return content;
    }

    /// <summary>Encodes JSON into a pooled buffer owned by the content.</summary>
    protected static HttpContent JsonContent(Action<PooledBufferWriter> encode) => PooledJsonContent.Create(encode);
}
