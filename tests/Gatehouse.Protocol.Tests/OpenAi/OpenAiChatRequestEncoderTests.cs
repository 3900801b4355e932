using System.Text.Json;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Xunit;

namespace Gatehouse.Protocol.Tests.OpenAi;

public sealed class OpenAiChatRequestEncoderTests
{
    [Fact]
    public void Golden_request_is_encoded_for_the_upstream_with_only_the_model_and_shapes_normalised()
    {
        var request = OpenAiChatRequestDecoder.Decode(Fixture.Bytes("openai", "chat_request.json"));

        var body = Fixture.Write(b => OpenAiChatRequestEncoder.Encode(request, "gpt-4o-2024-08-06", b, useMaxCompletionTokens: true));

        Fixture.AssertJsonEqual(Fixture.Json("openai", "chat_request_upstream.json"), body);
    }

    [Fact]
    public void Reasoning_cache_marks_and_thought_signatures_are_written_in_the_openai_extensions()
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new(Role.User, [new TextPart("Long document") { CacheControlJson = """{"type":"ephemeral"}""" }]),
                new(Role.Assistant,
                [
                    new ThinkingPart { Text = "Plan.", Signature = "c2ln" },
                    new ThinkingPart { RedactedData = "ZW5j" },
                    new TextPart("Calling."),
                    new ToolCallPart { Id = "call_1", Name = "lookup", ArgumentsJson = """{"q":"x"}""", ThoughtSignature = "Z2VtaW5p" },
                ]),
                new(Role.Tool, [new ToolResultPart { ToolCallId = "call_1", Content = [new TextPart("a"), new TextPart("b")] }]),
            ],
            MaxTokens = 100,
            Stream = true,
            SourceDialect = Dialect.AnthropicMessages,
            Extra = { ["service_tier"] = JsonDocument.Parse("\"auto\"").RootElement },
        };

        var body = Fixture.Write(b => OpenAiChatRequestEncoder.Encode(request, "gpt-4o", b));

        Fixture.AssertJsonEqual(
            """
            {"model":"gpt-4o","messages":[
              {"role":"user","content":[{"type":"text","text":"Long document","cache_control":{"type":"ephemeral"}}]},
              {"role":"assistant","content":"Calling.","reasoning_content":"Plan.","thinking_blocks":[
                {"type":"thinking","thinking":"Plan.","signature":"c2ln"},{"type":"redacted_thinking","data":"ZW5j"}],
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"x\"}"},
                 "extra_content":{"google":{"thought_signature":"Z2VtaW5p"}}}]},
              {"role":"tool","tool_call_id":"call_1","content":"a\nb"}],
             "max_tokens":100,"stream":true,"stream_options":{"include_usage":true}}
            """,
            body.ToJsonString());
    }

    [Fact]
    public void Cache_mark_on_an_image_is_kept()
    {
        // Found by the OpenAI → Anthropic → OpenAI round-trip property: the decoder reads cache_control on every
        // content part, the encoder wrote it back on text parts only.
        var request = OpenAiChatRequestDecoder.Decode("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"image_url","image_url":{"url":"https://images.example/a.png"},"cache_control":{"type":"ephemeral"}}]}]}
            """u8.ToArray());

        var body = Fixture.Write(b => OpenAiChatRequestEncoder.Encode(request, "m", b));

        Fixture.AssertJsonEqual(
            """[{"type":"image_url","image_url":{"url":"https://images.example/a.png"},"cache_control":{"type":"ephemeral"}}]""",
            body["messages"]![0]!["content"]!.ToJsonString());
    }

    [Theory]
    [InlineData(ToolChoiceMode.Auto, null, "\"auto\"")]
    [InlineData(ToolChoiceMode.None, null, "\"none\"")]
    [InlineData(ToolChoiceMode.Required, null, "\"required\"")]
    [InlineData(ToolChoiceMode.Function, "f", """{"type":"function","function":{"name":"f"}}""")]
    public void Tool_choice_forms(ToolChoiceMode mode, string? name, string expected)
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages = [new(Role.User, [new TextPart("hi")])],
            Tools = [new ToolDefinition { Name = "f" }],
            ToolChoice = new ToolChoice(mode, name),
        };

        var body = Fixture.Write(b => OpenAiChatRequestEncoder.Encode(request, "m", b));

        Fixture.AssertJsonEqual(expected, body["tool_choice"]!.ToJsonString());
        Fixture.AssertJsonEqual(
            """[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}]""",
            body["tools"]!.ToJsonString());
    }
}
