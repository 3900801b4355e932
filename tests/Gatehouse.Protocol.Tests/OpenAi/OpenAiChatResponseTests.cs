using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Xunit;

namespace Gatehouse.Protocol.Tests.OpenAi;

public sealed class OpenAiChatResponseTests
{
    [Fact]
    public void Golden_response_decodes_to_canonical_parts_usage_and_finish()
    {
        var response = OpenAiChatResponseDecoder.Decode(Fixture.Bytes("openai", "chat_completion_response.json"));

        Assert.Equal(
            ("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "gpt-4o-2024-08-06", 1741570283L, FinishReason.ToolCalls, null, null),
            (response.Id, response.Model, response.Created, response.FinishReason, response.StopSequence, response.Refusal));
        Assert.Equal(new Usage(InputTokens: 93, OutputTokens: 46, CachedInputTokens: 1024), response.Usage);
        Assert.Equal(3, response.Parts.Count);
        Assert.Equal("Let me check both cities.", Assert.IsType<TextPart>(response.Parts[0]).Text);
        var paris = Assert.IsType<ToolCallPart>(response.Parts[1]);
        Assert.Equal(("call_abc123", "get_weather", """{"location":"Paris, France","unit":"celsius"}"""), (paris.Id, paris.Name, paris.ArgumentsJson));
        var tokyo = Assert.IsType<ToolCallPart>(response.Parts[2]);
        Assert.Equal(("call_def456", "get_weather", """{"location":"Tokyo, Japan","unit":"celsius"}"""), (tokyo.Id, tokyo.Name, tokyo.ArgumentsJson));
    }

    [Fact]
    public void Decoded_golden_response_encodes_to_the_golden_client_body()
    {
        var response = OpenAiChatResponseDecoder.Decode(Fixture.Bytes("openai", "chat_completion_response.json"));

        var body = Fixture.Write(b => OpenAiChatResponseEncoder.Encode(response, "gpt-4o", b));

        Fixture.AssertJsonEqual(Fixture.Json("openai", "chat_completion_response_encoded.json"), body);
    }

    [Fact]
    public void Refusal_and_reasoning_are_read_and_written()
    {
        var response = OpenAiChatResponseDecoder.Decode("""
            {"id":"c","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,
             "refusal":"I can't help with that.","reasoning_content":"Policy says no."},"finish_reason":"content_filter"}]}
            """u8.ToArray());

        Assert.Equal((FinishReason.ContentFilter, "I can't help with that."), (response.FinishReason, response.Refusal));
        Assert.Equal("Policy says no.", Assert.IsType<ThinkingPart>(Assert.Single(response.Parts)).Text);

        var body = Fixture.Write(b => OpenAiChatResponseEncoder.Encode(response, "m", b));

        Fixture.AssertJsonEqual(
            """{"role":"assistant","content":null,"refusal":"I can't help with that.","reasoning_content":"Policy says no."}""",
            body["choices"]![0]!["message"]!.ToJsonString());
        Assert.Equal("content_filter", (string?)body["choices"]![0]!["finish_reason"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":[{"message":{"tool_calls":[{"function":{}}]}}]}""")]
    [InlineData("not json")]
    public void Malformed_responses_are_upstream_errors(string body)
    {
        var ex = Assert.Throws<GatewayException>(() => OpenAiChatResponseDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(body)));

        Assert.Equal((ErrorKind.UpstreamError, "upstream_malformed_response", 502), (ex.Error.Kind, ex.Error.Code, ex.Error.HttpStatus));
    }
}
