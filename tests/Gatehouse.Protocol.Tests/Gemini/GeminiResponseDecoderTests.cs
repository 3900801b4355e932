using System.Text;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Gemini;
using Xunit;

namespace Gatehouse.Protocol.Tests.Gemini;

public sealed class GeminiResponseDecoderTests
{
    [Fact]
    public void Response_with_thoughts_signed_text_and_function_call()
    {
        var response = GeminiResponseDecoder.Decode(GeminiFixture.Bytes("generate_content_response.json"), created: 1_750_000_000);

        Assert.Equal("7vA9aKq3D4GXz7IP3vGt0Qk", response.Id);
        Assert.Equal("gemini-2.5-flash", response.Model);
        Assert.Equal(1_750_000_000, response.Created);
        Assert.Equal(FinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(new Usage(InputTokens: 20, OutputTokens: 125, CachedInputTokens: 100, CacheWriteTokens: 0, ReasoningTokens: 95), response.Usage);
        Assert.Equal(4, response.Parts.Count);

        var thought = Assert.IsType<ThinkingPart>(response.Parts[0]);
        Assert.Equal("**Looking up the weather**\n\nThe user wants the current conditions in Paris, so I will call the weather tool.", thought.Text);
        Assert.Null(thought.Signature);

        var carrier = Assert.IsType<ThinkingPart>(response.Parts[1]);
        Assert.Equal(string.Empty, carrier.Text);
        Assert.Equal("EpYCCpMCAdHtim8Qz+1r/Kd3mVb6Yw4sT0uLx9gA==", carrier.Signature);

        Assert.Equal("I'll check the current weather in Paris.", Assert.IsType<TextPart>(response.Parts[2]).Text);

        var call = Assert.IsType<ToolCallPart>(response.Parts[3]);
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
        Assert.Equal(29, call.Id.Length);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{ "city": "Paris", "unit": "celsius" }""", call.ArgumentsJson);
        Assert.Equal("CiQB0e2Kb3Z+q/8sJ7Xw2vLhYd9pQm1nRt4uVa6bEc0fGk5sJxAKXgHR7Ypv/Q==", call.ThoughtSignature);
    }

    [Fact]
    public void Plain_text_response()
    {
        var response = GeminiResponseDecoder.Decode(GeminiFixture.Bytes("generate_content_text_response.json"), created: 0);

        Assert.Equal("Xq09aJ3aA9KYz7IPkcDUiAk", response.Id);
        Assert.Equal("gemini-2.0-flash", response.Model);
        Assert.Equal(FinishReason.Stop, response.FinishReason);
        Assert.Equal(new Usage(12, 11), response.Usage);
        Assert.Equal("Paris is sunny today, around 18°C.", Assert.IsType<TextPart>(Assert.Single(response.Parts)).Text);
    }

    [Fact]
    public void Function_call_id_from_gemini_is_kept()
    {
        var response = Decode("""{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"id":"fc-7","name":"f"}}]},"finishReason":"STOP"}]}""");

        var call = Assert.IsType<ToolCallPart>(Assert.Single(response.Parts));
        Assert.Equal("fc-7", call.Id);
        Assert.Equal("{}", call.ArgumentsJson);
        Assert.Null(call.ThoughtSignature);
    }

    [Fact]
    public void Signature_only_part_becomes_an_empty_signed_thinking_part()
    {
        var response = Decode("""{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"},{"thoughtSignature":"c2ln"}]},"finishReason":"STOP"}]}""");

        Assert.Equal("Hi", Assert.IsType<TextPart>(response.Parts[0]).Text);
        var carrier = Assert.IsType<ThinkingPart>(response.Parts[1]);
        Assert.Equal((string.Empty, "c2ln"), (carrier.Text, carrier.Signature));
        Assert.Equal(2, response.Parts.Count);
    }

    [Fact]
    public void Missing_response_id_gets_a_generated_one()
    {
        var response = Decode("""{"candidates":[{"content":{"parts":[{"text":"x"}]}}]}""");

        Assert.StartsWith("gen_", response.Id, StringComparison.Ordinal);
        Assert.Equal(string.Empty, response.Model);
        Assert.Equal(FinishReason.Stop, response.FinishReason);
    }

    [Theory]
    [InlineData("STOP", FinishReason.Stop)]
    [InlineData("MAX_TOKENS", FinishReason.Length)]
    [InlineData("SAFETY", FinishReason.ContentFilter)]
    [InlineData("RECITATION", FinishReason.ContentFilter)]
    [InlineData("BLOCKLIST", FinishReason.ContentFilter)]
    [InlineData("PROHIBITED_CONTENT", FinishReason.ContentFilter)]
    [InlineData("SPII", FinishReason.ContentFilter)]
    [InlineData("OTHER", FinishReason.Stop)]
    [InlineData("MALFORMED_FUNCTION_CALL", FinishReason.Stop)]
    public void Finish_reasons(string reason, FinishReason expected)
    {
        // A content-filtered candidate may come without content.
        var response = Decode($$"""{"candidates":[{"finishReason":"{{reason}}","index":0}]}""");

        Assert.Equal(expected, response.FinishReason);
        Assert.Empty(response.Parts);
    }

    [Fact]
    public void Length_stop_after_a_function_call_stays_length()
    {
        var response = Decode("""{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{}}}]},"finishReason":"MAX_TOKENS"}]}""");

        Assert.Equal(FinishReason.Length, response.FinishReason);
    }

    [Fact]
    public void Usage_counts_tool_prompt_tokens_as_input()
    {
        var response = Decode("""
            {"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":10,"toolUsePromptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":18}}
            """);

        Assert.Equal(new Usage(15, 3), response.Usage);
    }

    [Fact]
    public void Blocked_prompt_is_an_upstream_error_with_status_400()
    {
        var ex = Assert.Throws<GatewayException>(() => GeminiResponseDecoder.Decode(GeminiFixture.Bytes("prompt_blocked_response.json"), 0));

        Assert.Equal(ErrorKind.UpstreamError, ex.Error.Kind);
        Assert.Equal("content_blocked", ex.Error.Code);
        Assert.Equal(400, ex.Error.UpstreamStatus);
        Assert.Equal(400, ex.Error.HttpStatus);
        Assert.False(ex.Error.IsRetryable);
        Assert.Contains("SAFETY", ex.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"cut""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"candidates":[]}""")]
    [InlineData("""{"candidates":"nope"}""")]
    [InlineData("""{"candidates":[7]}""")]
    [InlineData("""{"candidates":[{"content":{"parts":[1]}}]}""")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"functionCall":{"args":{}}}]}}]}""")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"functionCall":{"name":5}}]}}]}""")]
    public void Malformed_answers_are_upstream_errors(string body)
    {
        var ex = Assert.Throws<GatewayException>(() => Decode(body));

        Assert.Equal(ErrorKind.UpstreamError, ex.Error.Kind);
        Assert.Equal("upstream_malformed_response", ex.Error.Code);
    }

    [Fact]
    public void Odd_but_valid_field_types_are_tolerated()
    {
        var response = Decode("""
            {"candidates":[{"content":{"parts":[{"text":5},{"text":"ok","thought":"yes"}]},"finishReason":3}],
             "usageMetadata":{"promptTokenCount":"ten","candidatesTokenCount":2.5},"responseId":1}
            """);

        Assert.Equal("ok", Assert.IsType<TextPart>(Assert.Single(response.Parts)).Text);
        Assert.Equal(default, response.Usage);
        Assert.StartsWith("gen_", response.Id, StringComparison.Ordinal);
    }

    private static ChatResponse Decode(string json) => GeminiResponseDecoder.Decode(Encoding.UTF8.GetBytes(json), created: 0);
}
