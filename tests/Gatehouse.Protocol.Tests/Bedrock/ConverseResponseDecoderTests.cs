using System.Text;
using Gatehouse.Core;
using Gatehouse.Protocol.Bedrock;
using Gatehouse.Protocol.Canonical;
using Xunit;

namespace Gatehouse.Protocol.Tests.Bedrock;

public sealed class ConverseResponseDecoderTests
{
    [Fact]
    public void Decodes_the_golden_converse_response()
    {
        var response = ConverseResponseDecoder.Decode(BedrockFixtures.Read("converse-response.json"), created: 1_717_171_717);

        Assert.StartsWith("bedrock-", response.Id, StringComparison.Ordinal);
        Assert.Equal(32, response.Id.Length);
        Assert.Equal(string.Empty, response.Model);
        Assert.Equal(1_717_171_717, response.Created);
        Assert.Equal(FinishReason.ToolCalls, response.FinishReason);
        Assert.Null(response.StopSequence);
        Assert.Equal(new Usage(412, 96, CachedInputTokens: 800, CacheWriteTokens: 0), response.Usage);
        Assert.Collection(
            response.Parts,
            p =>
            {
                var thinking = Assert.IsType<ThinkingPart>(p);
                Assert.Equal(("The user wants the weather in Paris. I should call get_weather.", "ErcBCkgIBRABGAIiQG9zUkvT2Y0HNlJ", (string?)null), (thinking.Text, thinking.Signature, thinking.RedactedData));
            },
            p =>
            {
                var redacted = Assert.IsType<ThinkingPart>(p);
                Assert.Equal((string.Empty, (string?)null, "RW5jcnlwdGVkIHJlYXNvbmluZw=="), (redacted.Text, redacted.Signature, redacted.RedactedData));
            },
            p => Assert.Equal("Let me check the weather in Paris.", Assert.IsType<TextPart>(p).Text),
            p =>
            {
                var call = Assert.IsType<ToolCallPart>(p);
                Assert.Equal(("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "get_weather", """{ "city": "Paris", "unit": "celsius" }"""), (call.Id, call.Name, call.ArgumentsJson));
            });
    }

    [Theory]
    [InlineData("end_turn", FinishReason.Stop)]
    [InlineData("stop_sequence", FinishReason.Stop)]
    [InlineData("tool_use", FinishReason.ToolCalls)]
    [InlineData("max_tokens", FinishReason.Length)]
    [InlineData("model_context_window_exceeded", FinishReason.Length)]
    [InlineData("guardrail_intervened", FinishReason.ContentFilter)]
    [InlineData("content_filtered", FinishReason.ContentFilter)]
    public void Maps_stop_reasons(string stopReason, FinishReason expected)
    {
        var body = $$$"""{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"{{{stopReason}}}","usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4}}""";

        var response = ConverseResponseDecoder.Decode(Encoding.UTF8.GetBytes(body), 0);

        Assert.Equal(expected, response.FinishReason);
        Assert.Equal(new Usage(3, 1), response.Usage);
    }

    [Fact]
    public void Reads_the_stop_sequence_from_additional_response_fields()
    {
        var body = """{"output":{"message":{"role":"assistant","content":[{"text":"1, 2, 3"},{"guardContent":{"text":{"text":"x"}}}]}},"stopReason":"stop_sequence","additionalModelResponseFields":{"stop_sequence":"4"},"usage":{"inputTokens":3,"outputTokens":5}}""";

        var response = ConverseResponseDecoder.Decode(Encoding.UTF8.GetBytes(body), 0);

        Assert.Equal("4", response.StopSequence);
        Assert.Equal("1, 2, 3", Assert.IsType<TextPart>(Assert.Single(response.Parts)).Text);
    }

    [Fact]
    public void Structured_output_tool_comes_back_as_the_answer_text()
    {
        var body = """{"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_1","name":"gatehouse_json_response","input":{"city":"Paris"}}}]}},"stopReason":"tool_use","usage":{"inputTokens":9,"outputTokens":4}}""";

        var response = ConverseResponseDecoder.Decode(Encoding.UTF8.GetBytes(body), 0);

        Assert.Equal("""{"city":"Paris"}""", Assert.IsType<TextPart>(Assert.Single(response.Parts)).Text);
        Assert.Equal(FinishReason.Stop, response.FinishReason);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"stopReason":"end_turn"}""")]
    [InlineData("""{"output":{"message":{"content":{"text":"x"}}}}""")]
    [InlineData("""{"output":{"message":{"content":[{"text":5}]}}}""")]
    [InlineData("""{"output":{"message":{"content":[{"reasoningContent":{}}]}}}""")]
    [InlineData("""{"output":{"message":{"content":["text"]}}}""")]
    public void Malformed_answers_become_upstream_errors(string body)
    {
        var error = Assert.Throws<GatewayException>(() => ConverseResponseDecoder.Decode(Encoding.UTF8.GetBytes(body), 0)).Error;

        Assert.Equal((ErrorKind.UpstreamError, "upstream_malformed_response"), (error.Kind, error.Code));
    }
}
