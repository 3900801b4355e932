using System.Text.Json.Nodes;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Gemini;
using Xunit;

namespace Gatehouse.Protocol.Tests.Gemini;

public sealed class GeminiRequestEncoderTests
{
    private const string CallSignature = "CiQB0e2Kb3Z+q/8sJ7Xw2vLhYd9pQm1nRt4uVa6bEc0fGk5sJx==";

    [Fact]
    public void Full_request_matches_the_golden_body()
    {
        var request = new ChatRequest
        {
            Model = "gemini-2.5-flash",
            Messages =
            [
                new(Role.System, [new TextPart("You are a weather assistant.")]),
                new(Role.User,
                [
                    new TextPart("What is the weather in Paris? Here is a photo."),
                    new ImagePart { MediaType = "image/png", Base64Data = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==" },
                    ImagePart.FromUrl("https://example.com/images/paris.JPG?size=large", "high"),
                ]),
                new(Role.System, [new TextPart("Answer briefly.")]),
                new(Role.Assistant,
                [
                    new ThinkingPart { Text = "**Checking the forecast**", Signature = "Eo4CCosCAdHtim9x+Yq3/Zr0Lw==" },
                    new ThinkingPart { Text = "Unsigned reasoning from another provider." },
                    new ThinkingPart { RedactedData = "EmwKAhgBEgy3va3pzix/LafPsn4a" },
                    new TextPart("Let me look that up."),
                    new ToolCallPart { Id = "call_1", Name = "get_weather", ArgumentsJson = """{"city":"Paris","unit":"celsius"}""", ThoughtSignature = CallSignature },
                ]),
                new(Role.Tool, [new ToolResultPart { ToolCallId = "call_1", Content = [new TextPart("18°C, sunny")] }]),
                new(Role.User, [new TextPart("And tomorrow?")]),
            ],
            Tools =
            [
                new ToolDefinition
                {
                    Name = "get_weather",
                    Description = "Current weather for a city.",
                    ParametersJson = """{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"],"additionalProperties":false}""",
                },
            ],
            ToolChoice = new ToolChoice(ToolChoiceMode.Function, "get_weather"),
            ParallelToolCalls = false,
            Temperature = 0.7,
            TopP = 0.9,
            TopK = 40,
            MaxTokens = 1024,
            Stop = ["END"],
            Seed = 42,
            User = "user-123",
            ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonSchema, "weather", """{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"]}"""),
            ThinkingBudget = 2048,
            SourceDialect = Dialect.OpenAiChat,
        };

        var body = GeminiFixture.Write(buffer => GeminiRequestEncoder.Encode(request, buffer));

        GeminiFixture.AssertJsonEqual(GeminiFixture.Json("generate_content_request.json"), body);
    }

    [Fact]
    public void Minimal_request_has_only_contents()
    {
        var body = Encode(new ChatRequest { Model = "m", Messages = [new(Role.User, [new TextPart("Hi")])] });

        GeminiFixture.AssertJsonEqual(JsonNode.Parse("""{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}""")!, body);
    }

    [Fact]
    public void Function_response_takes_the_name_of_the_call_with_that_id()
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new(Role.User, [new TextPart("Weather and time in Paris?")]),
                new(Role.Assistant,
                [
                    new ToolCallPart { Id = "call_a", Name = "get_weather", ArgumentsJson = """{"city":"Paris"}""" },
                    new ToolCallPart { Id = "call_b", Name = "get_time", ArgumentsJson = """{"zone":"Europe/Paris"}""" },
                ]),

                // Results answered in the other order, one of them an error.
                new(Role.Tool, [new ToolResultPart { ToolCallId = "call_b", Content = [new TextPart("14:05")] }]),
                new(Role.Tool, [new ToolResultPart { ToolCallId = "call_a", Content = [new TextPart("service down")], IsError = true }]),
            ],
        };

        var contents = Encode(request)["contents"]!;

        GeminiFixture.AssertJsonEqual(
            JsonNode.Parse("""
                {"role":"user","parts":[
                  {"functionResponse":{"name":"get_time","response":{"content":"14:05"}}},
                  {"functionResponse":{"name":"get_weather","response":{"error":"service down"}}}
                ]}
                """)!,
            contents[2]);
        Assert.Equal(3, contents.AsArray().Count);
    }

    [Fact]
    public void Tool_result_without_an_earlier_call_is_a_client_error()
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages = [new(Role.Tool, [new ToolResultPart { ToolCallId = "call_missing", Content = [new TextPart("x")] }])],
        };

        var ex = Assert.Throws<GatewayException>(() => Encode(request));

        Assert.Equal(ErrorKind.InvalidRequest, ex.Error.Kind);
        Assert.Contains("call_missing", ex.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ToolChoiceMode.Auto, null, """{"mode":"AUTO"}""")]
    [InlineData(ToolChoiceMode.None, null, """{"mode":"NONE"}""")]
    [InlineData(ToolChoiceMode.Required, null, """{"mode":"ANY"}""")]
    [InlineData(ToolChoiceMode.Function, "lookup", """{"mode":"ANY","allowedFunctionNames":["lookup"]}""")]
    public void Tool_choice_maps_to_function_calling_config(ToolChoiceMode mode, string? name, string expected)
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages = [new(Role.User, [new TextPart("Hi")])],
            Tools = [new ToolDefinition { Name = "lookup" }],
            ToolChoice = new ToolChoice(mode, name),
        };

        GeminiFixture.AssertJsonEqual(JsonNode.Parse(expected)!, Encode(request)["toolConfig"]!["functionCallingConfig"]);
    }

    [Fact]
    public void Tool_choice_without_tools_is_not_sent()
    {
        var body = Encode(new ChatRequest
        {
            Model = "m",
            Messages = [new(Role.User, [new TextPart("Hi")])],
            ToolChoice = new ToolChoice(ToolChoiceMode.Required),
        });

        Assert.Null(body["tools"]);
        Assert.Null(body["toolConfig"]);
    }

    [Fact]
    public void Json_object_format_sets_only_the_mime_type()
    {
        var body = Encode(new ChatRequest
        {
            Model = "m",
            Messages = [new(Role.User, [new TextPart("List three colours as JSON.")])],
            ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonObject),
        });

        GeminiFixture.AssertJsonEqual(JsonNode.Parse("""{"responseMimeType":"application/json"}""")!, body["generationConfig"]);
    }

    [Theory]
    [InlineData("low", 1024)]
    [InlineData("medium", 8192)]
    [InlineData("high", 24576)]
    public void Reasoning_effort_becomes_a_thinking_budget(string effort, int budget)
    {
        var body = Encode(new ChatRequest { Model = "m", Messages = [new(Role.User, [new TextPart("Hi")])], ReasoningEffort = effort });

        GeminiFixture.AssertJsonEqual(
            JsonNode.Parse($$$"""{"thinkingConfig":{"thinkingBudget":{{{budget}}},"includeThoughts":true}}""")!,
            body["generationConfig"]);
    }

    [Fact]
    public void Seed_wider_than_int32_keeps_its_low_bits()
    {
        var body = Encode(new ChatRequest { Model = "m", Messages = [new(Role.User, [new TextPart("Hi")])], Seed = (1L << 32) + 7 });

        Assert.Equal(7, (int)body["generationConfig"]!["seed"]!);
    }

    [Fact]
    public void Signature_on_text_goes_back_on_that_text_part()
    {
        var body = Encode(new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new(Role.User, [new TextPart("Hi")]),
                new(Role.Assistant,
                [
                    new ThinkingPart { Signature = "c2lnLXRleHQ=" },
                    new TextPart("Hello!"),
                    new ThinkingPart { Signature = "c2lnLXRhaWw=" },
                ]),
                new(Role.User, [new TextPart("Bye")]),
            ],
        });

        GeminiFixture.AssertJsonEqual(
            JsonNode.Parse("""{"role":"model","parts":[{"text":"Hello!","thoughtSignature":"c2lnLXRleHQ="},{"text":"","thoughtSignature":"c2lnLXRhaWw="}]}""")!,
            body["contents"]![1]);
    }

    [Fact]
    public void Signature_that_travelled_through_an_anthropic_client_is_unwrapped()
    {
        var body = Encode(new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new(Role.User, [new TextPart("Hi")]),
                new(Role.Assistant, [new ThinkingPart { Text = "hmm", Signature = GeminiSignatureMarker.Wrap("c2ln") }]),
            ],
        });

        Assert.Equal("c2ln", (string?)body["contents"]![1]!["parts"]![0]!["thoughtSignature"]);
    }

    [Fact]
    public void Empty_turns_vanish_and_their_neighbours_merge()
    {
        var body = Encode(new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new(Role.User, [new TextPart("one")]),
                new(Role.Assistant, [new TextPart(string.Empty), new ThinkingPart { Text = "unsigned" }]),
                new(Role.User, [new TextPart("two")]),
            ],
        });

        GeminiFixture.AssertJsonEqual(
            JsonNode.Parse("""{"contents":[{"role":"user","parts":[{"text":"one"},{"text":"two"}]}]}""")!,
            body);
    }

    [Fact]
    public void Invalid_tool_arguments_are_sent_as_an_empty_object()
    {
        var body = Encode(new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new(Role.User, [new TextPart("Hi")]),
                new(Role.Assistant, [new ToolCallPart { Id = "c", Name = "f", ArgumentsJson = "{not json" }]),
            ],
        });

        GeminiFixture.AssertJsonEqual(
            JsonNode.Parse("""{"functionCall":{"name":"f","args":{}}}""")!,
            body["contents"]![1]!["parts"]![0]);
    }

    [Theory]
    [InlineData("https://example.com/a.webp", "image/webp")]
    [InlineData("https://example.com/a.jpeg#frag", "image/jpeg")]
    [InlineData("https://example.com/picture", null)]
    [InlineData("https://example.com/a.svg", null)]
    public void Image_url_media_type_is_guessed_from_the_extension(string url, string? expected)
    {
        Assert.Equal(expected, GeminiContentWriter.MediaTypeFromUrl(url));
    }

    private static JsonNode Encode(ChatRequest request) => GeminiFixture.Write(buffer => GeminiRequestEncoder.Encode(request, buffer));
}
