using System.Net.Http.Headers;
using Gatehouse.Core;
using Gatehouse.Protocol.Bedrock;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Providers.Bedrock;

/// <summary>
/// AWS Bedrock through the Converse API: <c>POST /model/{modelId}/converse</c> (or <c>/converse-stream</c>, answered
/// as an AWS event stream), every request signed with SigV4 for the <c>bedrock</c> service. Embeddings go through
/// <c>/model/{modelId}/invoke</c> (Titan: one input per request; Cohere: batches).
/// </summary>
public sealed class BedrockAdapter : ProviderAdapter
{
    /// <summary>The SigV4 signing name of Bedrock's runtime endpoints.</summary>
    public const string SigningService = "bedrock";

    /// <summary>The region used when the configuration names none.</summary>
    public const string DefaultRegion = "us-east-1";

    private readonly SigV4Signer _signer;
    private readonly string _defaultBaseUrl;

    /// <summary>Creates the adapter; access key id and secret are required, the session token is optional.</summary>
    public BedrockAdapter(ProviderOptions options, TimeProvider time)
        : base(options)
    {
        if (string.IsNullOrEmpty(options.AccessKeyId) || string.IsNullOrEmpty(options.SecretAccessKey))
        {
            throw new GatewayException(new GatewayError(ErrorKind.Internal,
                $"Provider '{options.Name}' (bedrock) needs access_key_id and secret_access_key."));
        }

        var region = string.IsNullOrEmpty(options.Region) ? DefaultRegion : options.Region;
        _signer = new SigV4Signer(SigningService, region, options.AccessKeyId, options.SecretAccessKey, options.SessionToken, time);
        _defaultBaseUrl = $"https://bedrock-runtime.{region}.amazonaws.com";
    }

    /// <inheritdoc />
    public override Dialect Dialect => Dialect.BedrockConverse;

    /// <inheritdoc />
    public override StreamFraming Framing => StreamFraming.AwsEventStream;

    /// <inheritdoc />
    public override HttpRequestMessage BuildChatRequest(ChatRequest request, string upstreamModel, ReadOnlyMemory<byte>? passThroughBody)
    {
        var operation = request.Stream ? "/converse-stream" : "/converse";
        var message = new HttpRequestMessage(HttpMethod.Post, ModelUrl(upstreamModel, operation));
        HttpContent content = passThroughBody is { } passThrough
            ? new ReadOnlyMemoryContent(passThrough)
            : PooledJsonContent.Create(buffer => ConverseRequestEncoder.Encode(request, buffer));
        var body = passThroughBody ?? ((PooledJsonContent)content).Memory;

        // Like the AWS SDKs, Converse requests send no Accept header; ConverseStream answers in event-stream framing.
        Send(message, content, body, accept: null);
        return message;
    }

    /// <inheritdoc />
    public override ChatResponse DecodeChatResponse(ReadOnlyMemory<byte> body, long created) => ConverseResponseDecoder.Decode(body, created);

    /// <inheritdoc />
    public override IStreamDecoder CreateStreamDecoder() => new ConverseStreamDecoder();

    /// <inheritdoc />
    public override HttpRequestMessage? BuildEmbeddingsRequest(EmbeddingsRequest request, string upstreamModel)
    {
        var content = PooledJsonContent.Create(buffer => BedrockEmbeddingsCodec.EncodeRequest(request, upstreamModel, buffer));
        var message = new HttpRequestMessage(HttpMethod.Post, ModelUrl(upstreamModel, "/invoke"));

        // For InvokeModel, Accept names the model's answer type.
        Send(message, content, content.Memory, accept: "application/json");
        return message;
    }

    /// <inheritdoc />
    public override EmbeddingsResponse DecodeEmbeddingsResponse(ReadOnlyMemory<byte> body) => BedrockEmbeddingsCodec.DecodeResponse(body);

    /// <inheritdoc />
    public override GatewayError MapError(int status, ReadOnlySpan<byte> body, HttpResponseHeaders headers) =>
        BedrockErrors.Map(Options.Name, status, body, headers);

    /// <summary>The model URL: the id (or ARN) is one path segment, so ':' and '/' in it are percent-encoded.</summary>
    private Uri ModelUrl(string upstreamModel, string operation) =>
        Url(_defaultBaseUrl, $"/model/{Uri.EscapeDataString(upstreamModel)}{operation}");

    private void Send(HttpRequestMessage message, HttpContent content, ReadOnlyMemory<byte> body, string? accept)
    {
        message.Content = content;
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (accept is not null)
        {
            message.Headers.Accept.ParseAdd(accept);
        }

        // Configured headers travel unsigned; the signature covers host, content type, date, body hash and token.
        AddConfiguredHeaders(message);
        _signer.Sign(message, body.Span);
    }
}
