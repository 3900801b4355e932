using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Providers;
using Gatehouse.Providers.Gemini;
using Xunit;

namespace Gatehouse.Protocol.Tests.Gemini;

public sealed class GeminiAdapterTests
{
    private static readonly ChatRequest Hello = new() { Model = "gemini", Messages = [new(Role.User, [new TextPart("Hello")])] };

    [Fact]
    public void Factory_creates_the_gemini_adapter()
    {
        var adapter = ProviderAdapterFactory.Create(new ProviderOptions { Name = "google", Kind = "gemini" });

        Assert.IsType<GeminiAdapter>(adapter);
        Assert.Equal(Dialect.Gemini, adapter.Dialect);
        Assert.Equal(StreamFraming.ServerSentEvents, adapter.Framing);
    }

    [Fact]
    public async Task Chat_request_goes_to_generate_content_with_the_api_key_header()
    {
        using var message = Adapter().BuildChatRequest(Hello, "gemini-2.5-flash", passThroughBody: null);

        Assert.Equal(HttpMethod.Post, message.Method);
        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", message.RequestUri!.AbsoluteUri);
        Assert.Equal(["AIza-test-key"], message.Headers.GetValues("x-goog-api-key"));
        Assert.Equal(["custom"], message.Headers.GetValues("x-extra"));
        Assert.Null(message.Headers.Authorization);
        Assert.Equal("application/json", message.Content!.Headers.ContentType!.MediaType);
        GeminiFixture.AssertJsonEqual(
            JsonNode.Parse("""{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}""")!,
            JsonNode.Parse(await message.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Stream_request_goes_to_stream_generate_content_with_sse_and_ignores_a_pass_through_body()
    {
        var request = new ChatRequest { Model = "gemini", Messages = Hello.Messages, Stream = true };

        using var message = Adapter().BuildChatRequest(request, "models/gemini-2.5-pro", passThroughBody: "{\"ignored\":true}"u8.ToArray());

        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", message.RequestUri!.AbsoluteUri);
        Assert.DoesNotContain("ignored", await message.Content!.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000", "http://127.0.0.1:9000/v1beta/models/m:generateContent")]
    [InlineData("http://127.0.0.1:9000/", "http://127.0.0.1:9000/v1beta/models/m:generateContent")]
    [InlineData("https://proxy.example/gemini/v1beta/", "https://proxy.example/gemini/v1beta/models/m:generateContent")]
    [InlineData("https://proxy.example/gemini/v1", "https://proxy.example/gemini/v1/models/m:generateContent")]
    public void Configured_base_url(string baseUrl, string expected)
    {
        using var message = Adapter(baseUrl).BuildChatRequest(Hello, "m", null);

        Assert.Equal(expected, message.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public void No_api_key_means_no_key_header()
    {
        var adapter = new GeminiAdapter(new ProviderOptions { Name = "google", Kind = "gemini" });

        using var message = adapter.BuildChatRequest(Hello, "m", null);

        Assert.False(message.Headers.Contains("x-goog-api-key"));
    }

    [Fact]
    public async Task Embeddings_request_is_a_batch_embed_contents_call()
    {
        var request = new EmbeddingsRequest
        {
            Model = "embed",
            Inputs = ["What is the meaning of life?", "How does the brain work?"],
            Dimensions = 3,
            EncodingFormat = "base64",
        };

        using var message = Adapter().BuildEmbeddingsRequest(request, "gemini-embedding-001")!;

        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents", message.RequestUri!.AbsoluteUri);
        Assert.Equal(["AIza-test-key"], message.Headers.GetValues("x-goog-api-key"));
        GeminiFixture.AssertJsonEqual(
            GeminiFixture.Json("batch_embed_contents_request.json"),
            JsonNode.Parse(await message.Content!.ReadAsStringAsync()));
    }

    [Fact]
    public void Embeddings_response_becomes_vectors_in_input_order()
    {
        var response = Adapter().DecodeEmbeddingsResponse(GeminiFixture.Bytes("batch_embed_contents_response.json"));

        Assert.Equal(2, response.Vectors.Count);
        Assert.Equal([0.0123f, -0.0456f, 0.0789f], response.Vectors[0]);
        Assert.Equal([-0.5f, 0.25f, 0.001f], response.Vectors[1]);
        Assert.Equal(default, response.Usage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"embeddings":[{"values":["x"]}]}""")]
    [InlineData("""{"embeddings":[{}]}""")]
    [InlineData("""{"embeddings":{}}""")]
    public void Malformed_embeddings_answer_is_an_upstream_error(string body)
    {
        var ex = Assert.Throws<GatewayException>(() => Adapter().DecodeEmbeddingsResponse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(ErrorKind.UpstreamError, ex.Error.Kind);
    }

    [Fact]
    public void Invalid_argument_is_a_client_caused_upstream_error()
    {
        var error = MapError(400, GeminiFixture.Bytes("error_invalid_argument.json"));

        Assert.Equal(ErrorKind.UpstreamError, error.Kind);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("INVALID_ARGUMENT", error.Code);
        Assert.Contains("contents is not specified", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void Invalid_api_key_is_a_credential_failure_not_a_client_error()
    {
        var error = MapError(400, GeminiFixture.Bytes("error_api_key_invalid.json"));

        Assert.Equal("upstream_auth_failed", error.Code);
        Assert.Equal(502, error.HttpStatus);
        Assert.DoesNotContain("API key not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resource_exhausted_is_a_rate_limit_with_googles_retry_delay()
    {
        var error = MapError(429, GeminiFixture.Bytes("error_resource_exhausted.json"));

        Assert.Equal("upstream_rate_limited", error.Code);
        Assert.Equal(429, error.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(37), error.RetryAfter);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public void Retry_after_header_wins_over_retry_info()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(5));

        var error = Adapter().MapError(429, GeminiFixture.Bytes("error_resource_exhausted.json"), response.Headers);

        Assert.Equal(TimeSpan.FromSeconds(5), error.RetryAfter);
    }

    [Theory]
    [InlineData(503, """{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""", ErrorKind.UpstreamUnavailable)]
    [InlineData(500, """{"error":{"code":500,"message":"An internal error has occurred.","status":"INTERNAL"}}""", ErrorKind.UpstreamError)]
    [InlineData(504, """{"error":{"code":504,"message":"Deadline expired.","status":"DEADLINE_EXCEEDED"}}""", ErrorKind.UpstreamTimeout)]
    [InlineData(404, """[{"error":{"code":404,"message":"models/nope is not found.","status":"NOT_FOUND"}}]""", ErrorKind.UpstreamError)]
    [InlineData(502, "<html>Bad gateway</html>", ErrorKind.UpstreamError)]
    [InlineData(500, "", ErrorKind.UpstreamError)]
    public void Other_errors_use_the_common_mapping(int status, string body, ErrorKind kind)
    {
        Assert.Equal(kind, MapError(status, Encoding.UTF8.GetBytes(body)).Kind);
    }

    private static GatewayError MapError(int status, byte[] body)
    {
        using var response = new HttpResponseMessage();
        return Adapter().MapError(status, body, response.Headers);
    }

    private static GeminiAdapter Adapter(string? baseUrl = null) => new(new ProviderOptions
    {
        Name = "google",
        Kind = "gemini",
        BaseUrl = baseUrl,
        ApiKey = "AIza-test-key",
        Headers = new Dictionary<string, string> { ["x-extra"] = "custom" },
    });
}
