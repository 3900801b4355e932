using Gatehouse.Core;
using Gatehouse.Protocol.Bedrock;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Xunit;

namespace Gatehouse.Protocol.Tests.Bedrock;

public sealed class ConverseRequestEncoderTests
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}""";

    [Fact]
    public void Encodes_a_full_conversation_as_the_golden_converse_body()
    {
        var request = new ChatRequest
        {
            Model = "bedrock/claude",
            Messages =
            [
                new(Role.System, [new TextPart("You are a weather assistant.")]),
                new(Role.System, [new TextPart("Answer briefly.") { CacheControlJson = """{"type":"ephemeral"}""" }]),
                new(Role.User, [new TextPart("What is the weather in Paris?"), new ImagePart { MediaType = "image/png", Base64Data = "iVBORw0KGgo=" }]),
                new(Role.User, [new TextPart("Use celsius."), new TextPart(string.Empty)]),
                new(Role.Assistant,
                [
                    new ThinkingPart { Text = "The user wants the weather in Paris.", Signature = "EqoBCkgIARABGAIiQLm3" },
                    new ThinkingPart { RedactedData = "RW5jcnlwdGVkIHJlYXNvbmluZw==" },
                    new ThinkingPart { Text = "Reasoning another provider did not sign." },
                    new ThinkingPart { Text = "Gemini reasoning.", Signature = GeminiSignatureMarker.Wrap("CiQBcsjafE") },
                    new TextPart("Let me check."),
                    new ToolCallPart { Id = "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", Name = "get_weather", ArgumentsJson = """{"city":"Paris","unit":"celsius"}""" },
                ]),
                new(Role.Tool, [new ToolResultPart { ToolCallId = "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", Content = [new TextPart("18°C, sunny")] }]),
                new(Role.Tool, [new ToolResultPart { ToolCallId = "tooluse_b2", Content = [new TextPart("Forecast service timed out.")], IsError = true }]),
                new(Role.User, [new TextPart("And tomorrow?") { CacheControlJson = """{"type":"ephemeral"}""" }]),
            ],
            Tools =
            [
                new ToolDefinition { Name = "get_weather", Description = "Current weather for a city.", ParametersJson = WeatherSchema, CacheControlJson = """{"type":"ephemeral"}""" },
            ],
            ToolChoice = new ToolChoice(ToolChoiceMode.Function, "get_weather"),
            MaxTokens = 1024,
            Temperature = 1.5,
            TopP = 0.9,
            TopK = 40,
            Stop = ["END"],
            Seed = 7,
            User = "user-1",
        };

        BedrockFixtures.AssertJson("converse-request.json", Encode(request));
    }

    [Fact]
    public void Thinking_goes_to_additional_fields_and_lifts_the_output_limit_above_the_budget()
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages = [new(Role.User, [new TextPart("Prove that there are infinitely many primes.")])],
            ThinkingBudget = 2048,
            MaxTokens = 1024,
            Temperature = 0.2,
            TopP = 0.5,
            TopK = 10,
        };

        BedrockFixtures.AssertJson("converse-request-thinking.json", Encode(request));
    }

    [Theory]
    [InlineData(null, null, """{"maxTokens":4096}""")]
    [InlineData(null, 8192, """{"maxTokens":8192}""")]
    [InlineData(8000, null, """{"maxTokens":9024}""")]
    [InlineData(8000, 20000, """{"maxTokens":20000}""")]
    public void Thinking_output_limit(int? budget, int? maxTokens, string expected)
    {
        var request = Minimal();
        request.ThinkingBudget = budget ?? 1024;
        request.MaxTokens = maxTokens;

        Assert.Contains($"\"inferenceConfig\":{expected}", Text(request), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, """{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}""")]
    [InlineData(ToolChoiceMode.Auto, """{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"auto":{}}}""")]
    [InlineData(ToolChoiceMode.Required, """{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"any":{}}}""")]
    public void Tool_choice_maps_to_converse(ToolChoiceMode? mode, string expected)
    {
        var request = Minimal();
        request.Tools.Add(new ToolDefinition { Name = "f", ParametersJson = """{"type":"object"}""" });
        request.ToolChoice = mode is { } m ? new ToolChoice(m) : null;

        Assert.Equal($$"""{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"toolConfig":{{expected}}}""", Text(request));
    }

    [Fact]
    public void Json_schema_output_becomes_a_forced_reserved_tool()
    {
        var request = Minimal();
        request.ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonSchema, "city", """{"type":"object","properties":{"city":{"type":"string"}}}""");

        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"gatehouse_json_response","description":"Give the final answer by calling this tool with the answer as its input, matching the schema exactly.","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}}}}}}],"toolChoice":{"tool":{"name":"gatehouse_json_response"}}}}""",
            Text(request));
    }

    [Fact]
    public void Json_output_with_client_tools_becomes_a_system_instruction()
    {
        var request = Minimal();
        request.Messages.Insert(0, new(Role.System, [new TextPart("Be brief.")]));
        request.ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonObject);
        request.Tools.Add(new ToolDefinition { Name = "f", ParametersJson = """{"type":"object"}""" });

        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."},{"text":"Respond only with a single JSON value that matches this JSON Schema, with no other text: {\"type\":\"object\"}"}],"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}}""",
            Text(request));
    }

    [Fact]
    public void Tool_choice_none_withholds_the_tools()
    {
        var request = Minimal();
        request.Tools.Add(new ToolDefinition { Name = "f" });
        request.ToolChoice = new ToolChoice(ToolChoiceMode.None);

        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}""", Text(request));
    }

    [Fact]
    public void Tool_history_without_tools_still_declares_a_tool_config()
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new(Role.User, [new TextPart("Weather?")]),
                new(Role.Assistant, [new ToolCallPart { Id = "t1", Name = "get_weather", ArgumentsJson = "not json" }]),
                new(Role.Tool, [new ToolResultPart { ToolCallId = "t1", Content = [] }]),
            ],
            ToolChoice = new ToolChoice(ToolChoiceMode.None),
        };

        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Weather?"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"get_weather","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[]}}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"A tool used earlier in this conversation.","inputSchema":{"json":{"type":"object","properties":{}}}}}]}}""",
            Text(request));
    }

    [Fact]
    public void Messages_with_nothing_bedrock_can_carry_are_left_out()
    {
        var request = Minimal();
        request.Messages.Add(new(Role.Assistant, [new ThinkingPart { Text = "unsigned" }, new TextPart(string.Empty)]));
        request.Messages.Add(new(Role.User, [new TextPart("Still there?")]));

        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"Hi"},{"text":"Still there?"}]}]}""", Text(request));
    }

    [Fact]
    public void Image_urls_are_refused_with_a_client_error()
    {
        var request = Minimal();
        request.Messages[0].Parts.Add(new ImagePart { Url = "https://example.com/cat.png" });

        var error = Assert.Throws<GatewayException>(() => Encode(request)).Error;

        Assert.Equal((ErrorKind.InvalidRequest, 400, "unsupported_image_url"), (error.Kind, error.HttpStatus, error.Code));
        Assert.Equal("Bedrock does not accept image URLs; send the image inline as base64 data (a data: URL).", error.Message);
    }

    [Fact]
    public void Unsupported_image_formats_are_refused_with_a_client_error()
    {
        var request = Minimal();
        request.Messages[0].Parts.Add(new ImagePart { MediaType = "image/tiff", Base64Data = "AAAA" });

        var error = Assert.Throws<GatewayException>(() => Encode(request)).Error;

        Assert.Equal("Bedrock accepts png, jpeg, gif and webp images, not 'image/tiff'.", error.Message);
        Assert.Equal(400, error.HttpStatus);
    }

    [Fact]
    public void Extra_fields_pass_through_only_from_bedrock_clients()
    {
        using var extra = System.Text.Json.JsonDocument.Parse("""{"guardrailConfig":{"guardrailIdentifier":"g1","guardrailVersion":"1"},"messages":"ignored"}""");
        var fromBedrock = new ChatRequest { Model = "m", Messages = Minimal().Messages, SourceDialect = Dialect.BedrockConverse };
        var fromOpenAi = new ChatRequest { Model = "m", Messages = Minimal().Messages, SourceDialect = Dialect.OpenAiChat };
        foreach (var property in extra.RootElement.EnumerateObject())
        {
            fromBedrock.Extra[property.Name] = property.Value.Clone();
            fromOpenAi.Extra[property.Name] = property.Value.Clone();
        }

        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"guardrailConfig":{"guardrailIdentifier":"g1","guardrailVersion":"1"}}""", Text(fromBedrock));
        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}""", Text(fromOpenAi));
    }

    private static ChatRequest Minimal() => new() { Model = "m", Messages = [new(Role.User, [new TextPart("Hi")])] };

    private static byte[] Encode(ChatRequest request)
    {
        using var buffer = new PooledBufferWriter();
        ConverseRequestEncoder.Encode(request, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static string Text(ChatRequest request) => System.Text.Encoding.UTF8.GetString(Encode(request));
}
