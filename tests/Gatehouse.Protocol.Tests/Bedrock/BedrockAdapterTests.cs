using System.Text;
using Gatehouse.Core;
using Gatehouse.Protocol.Bedrock;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Providers;
using Gatehouse.Providers.Bedrock;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.Protocol.Tests.Bedrock;

public sealed class BedrockAdapterTests
{
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string ModelId = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Builds_a_signed_converse_request()
    {
        var adapter = Adapter(region: "eu-west-1", headers: new Dictionary<string, string> { ["x-team"] = "research" });
        var chat = Chat(stream: false);

        using var request = adapter.BuildChatRequest(chat, ModelId, passThroughBody: null);

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", request.RequestUri!.AbsoluteUri);
        Assert.Empty(request.Headers.Accept);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.ToString());
        Assert.Equal("research", request.Headers.GetValues("x-team").Single());
        var body = await request.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoded(chat), body);
        Assert.Equal(Reference(request, body, "eu-west-1", "/converse"), request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public void Builds_a_signed_converse_stream_request_against_a_configured_base_url()
    {
        var adapter = Adapter(baseUrl: "http://127.0.0.1:5123/", sessionToken: "session-token");

        using var request = adapter.BuildChatRequest(Chat(stream: true), ModelId, passThroughBody: null);

        Assert.Equal("http://127.0.0.1:5123/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream", request.RequestUri!.AbsoluteUri);
        Assert.Empty(request.Headers.Accept);
        Assert.Equal("127.0.0.1:5123", request.Headers.Host);
        Assert.Equal("session-token", request.Headers.GetValues("x-amz-security-token").Single());
        Assert.StartsWith(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250601/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=",
            request.Headers.GetValues("Authorization").Single(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pass_through_body_is_sent_and_signed_as_given()
    {
        var body = """{"messages":[{"role":"user","content":[{"text":"raw"}]}],"guardrailConfig":{"guardrailIdentifier":"g"}}"""u8.ToArray();

        using var request = Adapter().BuildChatRequest(Chat(stream: false), ModelId, body);

        Assert.Equal(body, await request.Content!.ReadAsByteArrayAsync());
        Assert.Equal(SigV4Signer.HashHex(body), request.Headers.GetValues("x-amz-content-sha256").Single());
    }

    [Fact]
    public void Declares_the_converse_dialect_and_event_stream_framing()
    {
        var adapter = Adapter();

        Assert.Equal(Dialect.BedrockConverse, adapter.Dialect);
        Assert.Equal(StreamFraming.AwsEventStream, adapter.Framing);
        Assert.IsType<ConverseStreamDecoder>(adapter.CreateStreamDecoder());
        Assert.Equal("Hello", Assert.IsType<TextPart>(adapter.DecodeChatResponse(
            """{"output":{"message":{"role":"assistant","content":[{"text":"Hello"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1}}"""u8.ToArray(), 0).Parts[0]).Text);
    }

    [Fact]
    public void Factory_creates_the_bedrock_adapter()
    {
        var adapter = ProviderAdapterFactory.Create(Options());

        Assert.IsType<BedrockAdapter>(adapter);
    }

    [Fact]
    public void Missing_credentials_are_a_configuration_error_that_names_no_secret()
    {
        var options = new ProviderOptions { Name = "aws", Kind = "bedrock", AccessKeyId = AccessKey };

        var error = Assert.Throws<GatewayException>(() => new BedrockAdapter(options, new FakeTimeProvider(Now))).Error;

        Assert.Equal((ErrorKind.Internal, "Provider 'aws' (bedrock) needs access_key_id and secret_access_key."), (error.Kind, error.Message));
    }

    [Theory]
    [InlineData(429, "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", """{"message":"Too many requests, please wait before trying again."}""",
        "UpstreamError 429 upstream_rate_limited", "Provider 'aws' is throttling requests (HTTP 429, ThrottlingException): Too many requests, please wait before trying again. Retry later.")]
    [InlineData(429, "ModelNotReadyException", """{"message":"Model is not ready for inference."}""",
        "UpstreamUnavailable 503 upstream_overloaded", "Provider 'aws' is still loading the model (HTTP 429, ModelNotReadyException): Model is not ready for inference. Retry shortly.")]
    [InlineData(400, "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/", """{"message":"The model returned the following errors: temperature: range: 0..1"}""",
        "UpstreamError 400 upstream_invalid_request", "Provider 'aws' rejected the request (HTTP 400, ValidationException): The model returned the following errors: temperature: range: 0..1.")]
    [InlineData(404, "ResourceNotFoundException", """{"message":"Model not found."}""",
        "UpstreamError 404 upstream_not_found", "Provider 'aws' rejected the request (HTTP 404, ResourceNotFoundException): Model not found.")]
    [InlineData(503, "ServiceUnavailableException", """{"message":"Bedrock is unable to process your request."}""",
        "UpstreamUnavailable 503 upstream_overloaded", "Provider 'aws' is overloaded or unavailable (HTTP 503, ServiceUnavailableException): Bedrock is unable to process your request. Retry later.")]
    [InlineData(408, "ModelTimeoutException", """{"message":"Model has timed out in processing the request."}""",
        "UpstreamTimeout 504 upstream_timeout", "Provider 'aws' timed out (HTTP 408, ModelTimeoutException): Model has timed out in processing the request.")]
    [InlineData(424, "ModelErrorException", "{}",
        "UpstreamError 502 upstream_error", "Provider 'aws' failed (HTTP 424, ModelErrorException): no details.")]
    [InlineData(500, null, "not json",
        "UpstreamError 502 upstream_error", "Provider 'aws' failed (HTTP 500): no details.")]
    [InlineData(403, "SignatureDoesNotMatch:http://internal.amazon.com/coral/com.amazon.coral.service/", """{"message":"The request signature we calculated does not match the signature you provided. The Canonical String for this request should have been 'POST /model/x/converse ...'"}""",
        "UpstreamError 502 upstream_auth_failed", "Provider 'aws' rejected the gateway's AWS credentials or their permissions (HTTP 403, SignatureDoesNotMatch). An operator must check the provider's access_key_id, secret_access_key, session_token, region and IAM policy.")]
    public void Maps_bedrock_errors(int status, string? errorType, string body, string expectedKind, string expectedMessage)
    {
        using var response = new HttpResponseMessage();
        if (errorType is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType);
        }

        var error = Adapter().MapError(status, Encoding.UTF8.GetBytes(body), response.Headers);

        Assert.Equal(expectedKind, $"{error.Kind} {error.HttpStatus} {error.Code}");
        Assert.Equal(expectedMessage, error.Message);
    }

    [Fact]
    public async Task Titan_embeddings_take_one_input_per_request()
    {
        var adapter = Adapter();

        using var request = adapter.BuildEmbeddingsRequest(new EmbeddingsRequest { Model = "e", Inputs = ["hello world"], Dimensions = 256 }, "amazon.titan-embed-text-v2:0")!;
        var error = Assert.Throws<GatewayException>(() => adapter.BuildEmbeddingsRequest(new EmbeddingsRequest { Model = "e", Inputs = ["a", "b"] }, "amazon.titan-embed-text-v2:0")).Error;

        Assert.Equal("https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke", request.RequestUri!.AbsoluteUri);
        Assert.Equal("""{"inputText":"hello world","dimensions":256}""", await request.Content!.ReadAsStringAsync());
        Assert.True(request.Headers.Contains("Authorization"));
        Assert.Equal("application/json", request.Headers.Accept.Single().MediaType);
        Assert.Equal((400, "Bedrock model 'amazon.titan-embed-text-v2:0' embeds one text per request; send 'input' as a single string (got 2)."), (error.HttpStatus, error.Message));
    }

    [Fact]
    public async Task Cohere_embeddings_take_a_batch()
    {
        using var request = Adapter().BuildEmbeddingsRequest(new EmbeddingsRequest { Model = "e", Inputs = ["a", "b"] }, "cohere.embed-english-v3")!;

        Assert.Equal("""{"texts":["a","b"],"input_type":"search_document"}""", await request.Content!.ReadAsStringAsync());
    }

    [Fact]
    public void Decodes_both_embedding_answers()
    {
        var adapter = Adapter();

        var titan = adapter.DecodeEmbeddingsResponse("""{"embedding":[0.25,-0.5,1],"inputTextTokenCount":3}"""u8.ToArray());
        var cohere = adapter.DecodeEmbeddingsResponse("""{"embeddings":[[0.5,0.25],[-1,0]],"id":"e1","response_type":"embeddings_floats","texts":["a","b"]}"""u8.ToArray());
        var typed = adapter.DecodeEmbeddingsResponse("""{"embeddings":{"float":[[0.5]]},"id":"e2","response_type":"embeddings_by_type"}"""u8.ToArray());
        var error = Assert.Throws<GatewayException>(() => adapter.DecodeEmbeddingsResponse("""{"vectors":[]}"""u8.ToArray())).Error;

        Assert.Equal([0.25f, -0.5f, 1f], Assert.Single(titan.Vectors));
        Assert.Equal(new Usage(3, 0), titan.Usage);
        Assert.Equal([[0.5f, 0.25f], [-1f, 0f]], cohere.Vectors);
        Assert.Equal([0.5f], Assert.Single(typed.Vectors));
        Assert.Equal((ErrorKind.UpstreamError, "upstream_malformed_response"), (error.Kind, error.Code));
    }

    private static ProviderOptions Options(string? region = null, string? baseUrl = null, string? sessionToken = null, Dictionary<string, string>? headers = null) => new()
    {
        Name = "aws",
        Kind = "bedrock",
        Region = region,
        BaseUrl = baseUrl,
        AccessKeyId = AccessKey,
        SecretAccessKey = Secret,
        SessionToken = sessionToken,
        Headers = headers ?? [],
    };

    private static BedrockAdapter Adapter(string? region = null, string? baseUrl = null, string? sessionToken = null, Dictionary<string, string>? headers = null) =>
        new(Options(region, baseUrl, sessionToken, headers), new FakeTimeProvider(Now));

    private static ChatRequest Chat(bool stream) => new()
    {
        Model = "aws/claude",
        Messages = [new(Role.System, [new TextPart("Be brief.")]), new(Role.User, [new TextPart("Hello")])],
        MaxTokens = 100,
        Stream = stream,
    };

    private static byte[] Encoded(ChatRequest chat)
    {
        using var buffer = new PooledBufferWriter();
        ConverseRequestEncoder.Encode(chat, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static string Reference(HttpRequestMessage request, byte[] body, string region, string operation)
    {
        var endpoint = new Uri($"https://bedrock-runtime.{region}.amazonaws.com");
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["Host"] = endpoint.Host,
            ["X-Amz-Date"] = request.Headers.GetValues("x-amz-date").Single(),
            ["X-Amz-Content-SHA256"] = SigV4Signer.HashHex(body),
        };
        return AwsReferenceSigner.Authorization(endpoint, "/model/{modelId}" + operation, new Dictionary<string, string> { ["{modelId}"] = ModelId },
            headers, AccessKey, Secret, region, "bedrock", Now.UtcDateTime);
    }
}
