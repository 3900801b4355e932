using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Xunit;

namespace Gatehouse.Protocol.Tests.Anthropic;

public sealed class AnthropicRequestEncoderTests
{
    [Fact]
    public void Golden_request_is_encoded_for_the_upstream_with_signed_reasoning_and_cache_marks_intact()
    {
        var request = AnthropicRequestDecoder.Decode(Fixture.Bytes("anthropic", "messages_request.json"));

        var body = Fixture.Write(b => AnthropicRequestEncoder.Encode(request, "claude-sonnet-4-5-20250929", 4096, b));

        Fixture.AssertJsonEqual(Fixture.Json("anthropic", "messages_request_upstream.json"), body);
    }

    [Fact]
    public void Golden_openai_request_translates_to_the_golden_anthropic_body()
    {
        var request = OpenAiChatRequestDecoder.Decode(Fixture.Bytes("openai", "chat_request.json"));

        var body = Fixture.Write(b => AnthropicRequestEncoder.Encode(request, "claude-sonnet-4-5-20250929", 4096, b));

        Fixture.AssertJsonEqual(Fixture.Json("anthropic", "messages_request_from_openai.json"), body);
    }

    [Fact]
    public void Thinking_budget_raises_max_tokens_and_drops_sampling_and_unsigned_reasoning()
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new(Role.User, [new TextPart("hi")]),
                new(Role.Assistant, [new ThinkingPart { Text = "unsigned" }, new TextPart(string.Empty), new ToolCallPart { Id = "t1", Name = "f", ArgumentsJson = "not json" }]),
            ],
            MaxTokens = 1000,
            ThinkingBudget = 2048,
            Temperature = 1.7,
            TopK = 5,
        };

        var body = Fixture.Write(b => AnthropicRequestEncoder.Encode(request, "claude", 8192, b));

        Fixture.AssertJsonEqual(
            """
            {"model":"claude","max_tokens":4096,"messages":[
              {"role":"user","content":[{"type":"text","text":"hi"}]},
              {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]}],
             "thinking":{"type":"enabled","budget_tokens":2048}}
            """,
            body.ToJsonString());
    }

    [Fact]
    public void Max_tokens_raised_for_a_huge_thinking_budget_does_not_overflow()
    {
        // Found by the fuzz corpus (anthropic-request/thinking-budget.json): max_tokens came out as -2147482625.
        var request = new ChatRequest { Model = "m", Messages = [new(Role.User, [new TextPart("hi")])], MaxTokens = 100, ThinkingBudget = int.MaxValue };

        var body = Fixture.Write(b => AnthropicRequestEncoder.Encode(request, "claude", 4096, b));

        Assert.Equal(int.MaxValue, (int)body["max_tokens"]!);
    }

    [Theory]
    [InlineData(ToolChoiceMode.Auto, null, false, """{"type":"auto","disable_parallel_tool_use":true}""")]
    [InlineData(ToolChoiceMode.Required, null, null, """{"type":"any"}""")]
    [InlineData(ToolChoiceMode.None, null, false, """{"type":"none"}""")]
    [InlineData(ToolChoiceMode.Function, "f", null, """{"type":"tool","name":"f"}""")]
    public void Tool_choice_forms(ToolChoiceMode mode, string? name, bool? parallel, string expected)
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages = [new(Role.User, [new TextPart("hi")])],
            Tools = [new ToolDefinition { Name = "f" }],
            ToolChoice = new ToolChoice(mode, name),
            ParallelToolCalls = parallel,
        };

        var body = Fixture.Write(b => AnthropicRequestEncoder.Encode(request, "m", 100, b));

        Fixture.AssertJsonEqual(expected, body["tool_choice"]!.ToJsonString());
    }
}
