using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Xunit;

namespace Gatehouse.Protocol.Tests.Anthropic;

public sealed class AnthropicResponseTests
{
    [Fact]
    public void Golden_response_decodes_to_canonical_parts_usage_and_finish()
    {
        var response = AnthropicResponseDecoder.Decode(Fixture.Bytes("anthropic", "message_response.json"), created: 1741570283);

        Assert.Equal(
            ("msg_01Aq9w938a90dw8q", "claude-sonnet-4-5-20250929", 1741570283L, FinishReason.ToolCalls, null),
            (response.Id, response.Model, response.Created, response.FinishReason, response.StopSequence));
        Assert.Equal(new Usage(InputTokens: 2095, OutputTokens: 503, CachedInputTokens: 1800), response.Usage);
        Assert.Equal(3, response.Parts.Count);
        var thinking = Assert.IsType<ThinkingPart>(response.Parts[0]);
        Assert.Equal(
            ("The user wants the weather in Paris. I should call get_weather.", AnthropicStreamDecoderTests.Signature, null),
            (thinking.Text, thinking.Signature, thinking.RedactedData));
        Assert.Equal("I'll check the current weather in Paris.", Assert.IsType<TextPart>(response.Parts[1]).Text);
        var call = Assert.IsType<ToolCallPart>(response.Parts[2]);
        Assert.Equal(("toolu_01A09q90qw90lq917835lq9", "get_weather"), (call.Id, call.Name));
        Fixture.AssertJsonEqual("""{"location":"Paris, France","unit":"celsius"}""", call.ArgumentsJson);
    }

    [Fact]
    public void Decoded_golden_response_encodes_to_the_golden_client_body()
    {
        var response = AnthropicResponseDecoder.Decode(Fixture.Bytes("anthropic", "message_response.json"), created: 0);

        var body = Fixture.Write(b => AnthropicResponseEncoder.Encode(response, "claude-sonnet-4-5", b));

        Fixture.AssertJsonEqual(Fixture.Json("anthropic", "message_response_encoded.json"), body);
    }

    [Theory]
    [InlineData("end_turn", null, FinishReason.Stop, "end_turn")]
    [InlineData("stop_sequence", "</answer>", FinishReason.Stop, "stop_sequence")]
    [InlineData("max_tokens", null, FinishReason.Length, "max_tokens")]
    [InlineData("refusal", null, FinishReason.Refusal, "refusal")]
    [InlineData("pause_turn", null, FinishReason.Stop, "end_turn")]
    public void Stop_reasons_map_both_ways(string stopReason, string? stopSequence, FinishReason finish, string reencoded)
    {
        Assert.Equal(finish, AnthropicResponseDecoder.MapStop(stopReason));
        Assert.Equal(reencoded, AnthropicResponseEncoder.StopString(finish, stopSequence));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"id":"msg_1","content":{}}""")]
    [InlineData("""{"content":[]}""")]
    public void Malformed_responses_are_upstream_errors(string body)
    {
        var ex = Assert.Throws<GatewayException>(() => AnthropicResponseDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(body), 0));

        Assert.Equal((ErrorKind.UpstreamError, "upstream_malformed_response"), (ex.Error.Kind, ex.Error.Code));
    }
}
