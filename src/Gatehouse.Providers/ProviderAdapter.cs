using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Providers;

/// <summary>How an upstream frames its streamed answer.</summary>
public enum StreamFraming
{
    /// <summary>Server-sent events.</summary>
    ServerSentEvents,

    /// <summary>The AWS event-stream binary framing.</summary>
    AwsEventStream,
}

/// <summary>
/// One provider's wire knowledge: how to build its HTTP requests (URL, auth, body), read its answers and map its errors.
/// Adapters hold no per-request state and are shared by all requests of a config snapshot.
/// </summary>
public abstract class ProviderAdapter
{
    /// <summary>Paths can hold the model name, which clients choose: the cache stops growing here.</summary>
    private const int MaxCachedUrls = 256;

    /// <summary>Longer paths (long model names) are built every time, never cached.</summary>
    private const int MaxCachedPathLength = 512;

    private readonly ConcurrentDictionary<string, Uri> _urls = new(StringComparer.Ordinal);
    private int _cachedUrlCount;

    /// <summary>Creates an adapter for a configured provider.</summary>
    protected ProviderAdapter(ProviderOptions options) => Options = options;

    /// <summary>The provider's configuration.</summary>
    public ProviderOptions Options { get; }

    /// <summary>The wire family the provider speaks; equal to the inbound dialect means the pass-through path applies.</summary>
    public abstract Dialect Dialect { get; }

    /// <summary>How streamed answers are framed.</summary>
    public virtual StreamFraming Framing => StreamFraming.ServerSentEvents;

    /// <summary>
    /// Replaces the configured API key of a built request with <paramref name="apiKey"/> (a team's own key from the
    /// credential vault). False when the provider authenticates otherwise (Bedrock signs with SigV4).
    /// </summary>
    public virtual bool ReplaceApiKey(HttpRequestMessage message, string apiKey) => false;

    /// <summary>Builds the upstream chat request. <paramref name="passThroughBody"/> is the client's body already rewritten for this upstream, when the pass-through path applies.</summary>
    public abstract HttpRequestMessage BuildChatRequest(ChatRequest request, string upstreamModel, ReadOnlyMemory<byte>? passThroughBody);

    /// <summary>Decodes a non-streamed answer.</summary>
    public abstract ChatResponse DecodeChatResponse(ReadOnlyMemory<byte> body, long created);

    /// <summary>Creates a decoder for one streamed answer.</summary>
    public abstract IStreamDecoder CreateStreamDecoder();

    /// <summary>
    /// Reads what the gateway needs from a non-streamed answer it forwards unchanged (the served model, the finish reason
    /// and the usage, not the content). By default the full decode; adapters of a client dialect read less.
    /// </summary>
    public virtual ChatResponse ReadChatResponseSummary(ReadOnlyMemory<byte> body, long created) => DecodeChatResponse(body, created);

    /// <summary>
    /// Creates a decoder for a streamed answer the gateway forwards unchanged: its events need only carry the start, the
    /// output's size, the finish, usage and errors. By default the full decoder.
    /// </summary>
    public virtual IStreamDecoder CreateStreamObserver() => CreateStreamDecoder();

    /// <summary>Builds an embeddings request, or returns null if the provider has no embeddings API.</summary>
    public virtual HttpRequestMessage? BuildEmbeddingsRequest(EmbeddingsRequest request, string upstreamModel) => null;

    /// <summary>Decodes an embeddings answer.</summary>
    public virtual EmbeddingsResponse DecodeEmbeddingsResponse(ReadOnlyMemory<byte> body) =>
        throw new NotSupportedException("This provider has no embeddings API.");

    /// <summary>Maps an upstream error answer to a gateway error; never includes credentials or raw bodies beyond the provider's message.</summary>
    public virtual GatewayError MapError(int status, ReadOnlySpan<byte> body, HttpResponseHeaders headers) =>
        UpstreamErrors.Map(Options.Name, status, body, headers);

    /// <summary>
    /// Joins the base URL and a path without doubling slashes. The result is cached per path: a new <see cref="Uri"/>
    /// per request also costs the connection pool a fresh parse of its host.
    /// </summary>
    protected Uri Url(string defaultBase, string path)
    {
        if (_urls.TryGetValue(path, out var cached))
        {
            return cached;
        }

        var url = new Uri((Options.BaseUrl ?? defaultBase).TrimEnd('/') + path, UriKind.Absolute);
        if (path.Length <= MaxCachedPathLength && Volatile.Read(ref _cachedUrlCount) < MaxCachedUrls && _urls.TryAdd(path, url))
        {
            Interlocked.Increment(ref _cachedUrlCount);
        }

        return url;
    }

    /// <summary>Adds the configured extra headers.</summary>
    protected void AddConfiguredHeaders(HttpRequestMessage message)
    {
        foreach (var (name, value) in Options.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, CheckedHeaderText(name, value));
        }
    }

    /// <summary>Sets a key or other header as text, replacing any value it had (see <see cref="CheckedHeaderText"/>).</summary>
    protected void SetHeaderText(HttpRequestMessage message, string name, string value)
    {
        message.Headers.Remove(name);
        message.Headers.TryAddWithoutValidation(name, CheckedHeaderText(name, value));
    }

    /// <summary>
    /// Returns <paramref name="value"/> if it may be sent as header text, and otherwise refuses the request (500,
    /// <c>invalid_provider_header</c>): text headers are written as they are, so a line break would start a header of
    /// its own. Config files and the credential vault refuse such values where they enter; this covers every other way
    /// in (environment variables, credentials stored before that check). The message never holds the value.
    /// </summary>
    protected string CheckedHeaderText(string name, string value) => HeaderText.IsSafe(value)
        ? value
        : throw new GatewayException(new GatewayError(
            ErrorKind.Internal,
            $"The {name} header configured for provider '{Options.Name}' contains a line break or another control character, so the request was not sent. Fix the key or header in the configuration or the credential vault.",
            "invalid_provider_header"));
}
