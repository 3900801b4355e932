using Gatehouse.Core;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Providers;
using Xunit;

namespace Gatehouse.Protocol.Tests.OpenAi;

public sealed class OpenAiErrorTests
{
    [Theory]
    [InlineData("error_invalid_request.json", 400, ErrorKind.UpstreamError, 400, "invalid_value",
        "Provider 'openai' rejected the request (HTTP 400): Invalid 'messages[2].content[1].image_url.url': expected a URL or a base64 data URL.")]
    [InlineData("error_context_length.json", 400, ErrorKind.UpstreamError, 400, "context_length_exceeded",
        "Provider 'openai' rejected the request (HTTP 400): This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.")]
    [InlineData("error_rate_limit.json", 429, ErrorKind.UpstreamError, 429, "upstream_rate_limited",
        "Provider 'openai' is rate limiting requests: Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29500, Requested 1200. Please try again in 1.4s.. Retry later.")]
    public void Golden_error_bodies_map_to_gateway_errors(string fixture, int status, ErrorKind kind, int httpStatus, string code, string message)
    {
        var error = UpstreamErrors.Map("openai", status, Fixture.Bytes("openai", fixture), headers: null);

        Assert.Equal((kind, httpStatus, code, message), (error.Kind, error.HttpStatus, error.Code, error.Message));
    }

    [Fact]
    public void Client_error_is_written_in_the_openai_shape()
    {
        var body = Fixture.Write(b => OpenAiErrorWriter.Write(GatewayError.Invalid("'messages' must contain at least one message.", "messages"), b));

        Fixture.AssertJsonEqual(
            """{"error":{"message":"'messages' must contain at least one message.","type":"invalid_request_error","param":"messages","code":"invalid_request"}}""",
            body.ToJsonString());
    }

    [Fact]
    public void Anthropic_upstream_rejection_reaches_an_openai_client_as_an_invalid_request()
    {
        var error = UpstreamErrors.Map("anthropic", 400, Fixture.Bytes("anthropic", "error_invalid_request.json"), headers: null);

        var body = Fixture.Write(b => OpenAiErrorWriter.Write(error, b));

        Fixture.AssertJsonEqual(
            """
            {"error":{"message":"Provider 'anthropic' rejected the request (HTTP 400): messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `text`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.",
             "type":"invalid_request_error","param":null,"code":"invalid_request_error"}}
            """,
            body.ToJsonString());
    }
}
