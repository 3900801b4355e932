using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Providers;
using Xunit;

namespace Gatehouse.Protocol.Tests.Anthropic;

public sealed class AnthropicErrorTests
{
    [Theory]
    [InlineData("error_overloaded.json", 529, ErrorKind.UpstreamUnavailable, 503, "upstream_overloaded",
        "Provider 'anthropic' is overloaded or unavailable (HTTP 529): Overloaded.")]
    [InlineData("error_rate_limit.json", 429, ErrorKind.UpstreamError, 429, "upstream_rate_limited",
        "Provider 'anthropic' is rate limiting requests: This request would exceed the rate limit for your organization of 30,000 input tokens per minute.. Retry later.")]
    [InlineData("error_invalid_request.json", 400, ErrorKind.UpstreamError, 400, "invalid_request_error",
        "Provider 'anthropic' rejected the request (HTTP 400): messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `text`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.")]
    public void Golden_error_bodies_map_to_gateway_errors(string fixture, int status, ErrorKind kind, int httpStatus, string code, string message)
    {
        var error = UpstreamErrors.Map("anthropic", status, Fixture.Bytes("anthropic", fixture), headers: null);

        Assert.Equal((kind, httpStatus, code, message), (error.Kind, error.HttpStatus, error.Code, error.Message));
    }

    [Fact]
    public void Golden_overloaded_body_round_trips_through_the_anthropic_error_writer()
    {
        var error = UpstreamErrors.Map("anthropic", 529, Fixture.Bytes("anthropic", "error_overloaded.json"), headers: null);

        var body = Fixture.Write(b => AnthropicErrorWriter.Write(error, b));

        Fixture.AssertJsonEqual(
            """{"type":"error","error":{"type":"overloaded_error","message":"Provider 'anthropic' is overloaded or unavailable (HTTP 529): Overloaded."}}""",
            body.ToJsonString());
    }

    [Fact]
    public void Client_error_is_written_in_the_anthropic_shape()
    {
        var body = Fixture.Write(b => AnthropicErrorWriter.Write(GatewayError.Invalid("'max_tokens' is required.", "max_tokens"), b));

        Fixture.AssertJsonEqual("""{"type":"error","error":{"type":"invalid_request_error","message":"'max_tokens' is required."}}""", body.ToJsonString());
    }
}
