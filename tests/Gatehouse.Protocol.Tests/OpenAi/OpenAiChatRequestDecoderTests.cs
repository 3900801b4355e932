using System.Text;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Xunit;

namespace Gatehouse.Protocol.Tests.OpenAi;

public sealed class OpenAiChatRequestDecoderTests
{
    private const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    [Fact]
    public void Golden_request_decodes_every_modelled_field()
    {
        var request = OpenAiChatRequestDecoder.Decode(Fixture.Bytes("openai", "chat_request.json"));

        Assert.Equal(("gpt-4o", Dialect.OpenAiChat), (request.Model, request.SourceDialect));
        Assert.Equal(8, request.Messages.Count);

        var system = request.Messages[0];
        Assert.Equal((Role.System, false, null), (system.Role, system.IsDeveloper, system.Name));
        Assert.Equal("You are a helpful weather assistant.", Assert.IsType<TextPart>(Assert.Single(system.Parts)).Text);

        var developer = request.Messages[1];
        Assert.Equal((Role.System, true), (developer.Role, developer.IsDeveloper));
        Assert.Equal("Answer in metric units.", Assert.IsType<TextPart>(Assert.Single(developer.Parts)).Text);

        var user = request.Messages[2];
        Assert.Equal((Role.User, "alice"), (user.Role, user.Name));
        Assert.Equal(3, user.Parts.Count);
        Assert.Equal("What's the weather in Paris and Tokyo? Here is where I am.", Assert.IsType<TextPart>(user.Parts[0]).Text);
        var url = Assert.IsType<ImagePart>(user.Parts[1]);
        Assert.Equal(
            ("https://upload.wikimedia.org/wikipedia/commons/a/a8/Tour_Eiffel_Wikimedia_Commons.jpg", null, null, "high"),
            (url.Url, url.MediaType, url.Base64Data, url.Detail));
        var inline = Assert.IsType<ImagePart>(user.Parts[2]);
        Assert.Equal((null, "image/png", PngBase64, null), (inline.Url, inline.MediaType, inline.Base64Data, inline.Detail));

        var calls = request.Messages[3];
        Assert.Equal(Role.Assistant, calls.Role);
        Assert.Equal(2, calls.Parts.Count);
        AssertCall(calls.Parts[0], "call_abc123", "get_weather", """{"location":"Paris, France","unit":"celsius"}""");
        AssertCall(calls.Parts[1], "call_def456", "get_weather", """{"location":"Tokyo, Japan","unit":"celsius"}""");

        AssertToolResult(request.Messages[4], "call_abc123", "18°C, partly cloudy");
        AssertToolResult(request.Messages[5], "call_def456", "24°C, sunny");

        var answer = request.Messages[6];
        Assert.Equal(Role.Assistant, answer.Role);
        Assert.Equal("Paris is 18°C and partly cloudy; Tokyo is 24°C and sunny.", Assert.IsType<TextPart>(Assert.Single(answer.Parts)).Text);
        Assert.Equal((Role.User, "Which city is warmer, and by how much?"), (request.Messages[7].Role, Assert.IsType<TextPart>(Assert.Single(request.Messages[7].Parts)).Text));

        var tool = Assert.Single(request.Tools);
        Assert.Equal(("get_weather", "Get the current weather in a given location", true, null), (tool.Name, tool.Description, tool.Strict, tool.CacheControlJson));
        Fixture.AssertJsonEqual(
            """{"type":"object","properties":{"location":{"type":"string","description":"City and country, e.g. Paris, France"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location","unit"],"additionalProperties":false}""",
            tool.ParametersJson);
        Assert.Equal(new ToolChoice(ToolChoiceMode.Function, "get_weather"), request.ToolChoice);
        Assert.True(request.ParallelToolCalls);

        var format = request.ResponseFormat!;
        Assert.Equal((ResponseFormatKind.JsonSchema, "warmer_city", true), (format.Kind, format.SchemaName, format.Strict));
        Fixture.AssertJsonEqual(
            """{"type":"object","properties":{"city":{"type":"string"},"difference_celsius":{"type":"number"}},"required":["city","difference_celsius"],"additionalProperties":false}""",
            format.SchemaJson);

        Assert.Equal((512, 0.2, 0.95, (int?)null), (request.MaxTokens, request.Temperature, request.TopP, request.TopK));
        Assert.Equal(["\n\n\n"], request.Stop);
        Assert.Equal((7L, "user-1234", "low"), (request.Seed, request.User, request.ReasoningEffort));
        Assert.Equal((true, true, (int?)null), (request.Stream, request.IncludeUsage, request.ThinkingBudget));
        Assert.Equal(["logprobs", "metadata"], request.Extra.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("false", request.Extra["logprobs"].GetRawText());
        Fixture.AssertJsonEqual("""{"session":"s-42"}""", request.Extra["metadata"].GetRawText());
    }

    [Theory]
    [InlineData("\"auto\"", ToolChoiceMode.Auto)]
    [InlineData("\"none\"", ToolChoiceMode.None)]
    [InlineData("\"required\"", ToolChoiceMode.Required)]
    public void String_tool_choices(string json, ToolChoiceMode mode)
    {
        var request = Decode($$"""{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":{{json}}}""");

        Assert.Equal(new ToolChoice(mode), request.ToolChoice);
    }

    [Fact]
    public void Reasoning_and_signed_thinking_blocks_on_an_assistant_message_become_thinking_parts()
    {
        var request = Decode("""
            {"model":"m","messages":[{"role":"assistant","content":"Hi","thinking_blocks":[
              {"type":"thinking","thinking":"Let me think.","signature":"sig=="},
              {"type":"redacted_thinking","data":"cmVkYWN0ZWQ="}]}]}
            """);

        var parts = request.Messages[0].Parts;
        Assert.Equal(3, parts.Count);
        var thinking = Assert.IsType<ThinkingPart>(parts[0]);
        Assert.Equal(("Let me think.", "sig==", null), (thinking.Text, thinking.Signature, thinking.RedactedData));
        var redacted = Assert.IsType<ThinkingPart>(parts[1]);
        Assert.Equal((string.Empty, null, "cmVkYWN0ZWQ="), (redacted.Text, redacted.Signature, redacted.RedactedData));
        Assert.Equal("Hi", Assert.IsType<TextPart>(parts[2]).Text);
    }

    [Fact]
    public void Json_object_format_and_legacy_max_tokens()
    {
        var request = Decode("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"},"max_tokens":64,"stop":"END","thinking":{"type":"enabled","budget_tokens":2048}}""");

        Assert.Equal(new ResponseFormat(ResponseFormatKind.JsonObject), request.ResponseFormat);
        Assert.Equal((64, 2048), (request.MaxTokens, request.ThinkingBudget));
        Assert.Equal(["END"], request.Stop);
    }

    [Theory]
    [InlineData("[]", null, "The request body must be a JSON object, not an array.")]
    [InlineData("{\"model\":\"m\"", null, "The request body is not valid JSON")]
    [InlineData("{\"messages\":[]}", "model", "'model' is required.")]
    [InlineData("{\"model\":\"\",\"messages\":[]}", "model", "'model' must not be empty.")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}", "messages", "'messages' must contain at least one message.")]
    [InlineData("{\"model\":\"m\",\"messages\":{}}", "messages", "'messages' must be an array, not an object.")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"function\",\"content\":\"x\"}]}", "messages[0].role", "'messages[0].role' \"function\" is deprecated")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}", "messages[0].content", "'messages[0].content' is required.")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}", "messages[0].content[0]", "'messages[0].content[0]': images are only allowed in user and tool messages.")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"ftp://x/y.png\"}}]}]}", "messages[0].content[0].image_url.url", "'messages[0].content[0].image_url.url' must be an http(s) URL or a base64 data URL.")]
    // Found by the fuzz corpus (openai-request/image-url-string.json): a bare string was not checked, but re-encoded as a url field that is.
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"ftp://x/y.png\"}]}]}", "messages[0].content[0].image_url", "'messages[0].content[0].image_url' must be an http(s) URL or a base64 data URL.")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", "messages[0].tool_call_id", "'messages[0].tool_call_id' is required.")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a b\"}}]}", "tools[0].function.name", "'tools[0].function.name' may contain only letters")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":2.5}", "temperature", "'temperature' must be between 0 and 2; got 2.5.")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":\"sometimes\"}", "tool_choice", "'tool_choice' must be \"auto\", \"none\", \"required\" or a function object; got \"sometimes\".")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":{\"type\":\"json_schema\"}}", "response_format.json_schema", "'response_format.json_schema' is required for type json_schema.")]
    public void Invalid_requests_are_rejected_with_the_parameter_at_fault(string body, string? param, string messageStart)
    {
        var ex = Assert.Throws<GatewayException>(() => Decode(body));

        Assert.Equal((ErrorKind.InvalidRequest, 400, param), (ex.Error.Kind, ex.Error.HttpStatus, ex.Error.Param));
        Assert.StartsWith(messageStart, ex.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"\ud800"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"\udc00":true}""")]
    public void Unpaired_surrogate_escapes_are_a_client_error(string body)
    {
        // Found by the fuzz corpus (openai-request/lone-surrogate*.json): reading such a string threw InvalidOperationException.
        var ex = Assert.Throws<GatewayException>(() => Decode(body));

        Assert.Equal(
            (400, "invalid_json", "The request body has a \\u escape that is not valid UTF-16 (an unpaired surrogate). Send JSON text that encodes Unicode text."),
            (ex.Error.HttpStatus, ex.Error.Code, ex.Error.Message));
    }

    [Fact]
    public void Invalid_utf8_is_a_client_error()
    {
        // Found by the fuzz corpus (openai-request/invalid-utf8*.json).
        byte[] body = [.. "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"caf"u8, 0xC3, .. "\"}]}"u8];

        var ex = Assert.Throws<GatewayException>(() => OpenAiChatRequestDecoder.Decode(body));

        Assert.Equal((400, "invalid_json", "The request body is not valid UTF-8. Send JSON text encoded as UTF-8."), (ex.Error.HttpStatus, ex.Error.Code, ex.Error.Message));
    }

    private static ChatRequest Decode(string json) => OpenAiChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(json));

    private static void AssertCall(ContentPart part, string id, string name, string arguments)
    {
        var call = Assert.IsType<ToolCallPart>(part);
        Assert.Equal((id, name, arguments, null), (call.Id, call.Name, call.ArgumentsJson, call.ThoughtSignature));
    }

    private static void AssertToolResult(ChatMessage message, string callId, string text)
    {
        Assert.Equal(Role.Tool, message.Role);
        var result = Assert.IsType<ToolResultPart>(Assert.Single(message.Parts));
        Assert.Equal((callId, false), (result.ToolCallId, result.IsError));
        Assert.Equal(text, Assert.IsType<TextPart>(Assert.Single(result.Content)).Text);
    }
}
