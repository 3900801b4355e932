using System.Text;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Xunit;

namespace Gatehouse.Protocol.Tests.Anthropic;

public sealed class AnthropicRequestDecoderTests
{
    private const string Ephemeral = """{"type":"ephemeral"}""";

    [Fact]
    public void Golden_request_decodes_every_modelled_field()
    {
        var request = AnthropicRequestDecoder.Decode(Fixture.Bytes("anthropic", "messages_request.json"));

        Assert.Equal(("claude-sonnet-4-5", Dialect.AnthropicMessages), (request.Model, request.SourceDialect));
        Assert.Equal([Role.System, Role.User, Role.Assistant, Role.Tool, Role.User], request.Messages.ConvertAll(m => m.Role));

        var system = request.Messages[0].Parts;
        Assert.Equal(2, system.Count);
        AssertText(system[0], "You are a helpful weather assistant.", null);
        AssertText(system[1], "Station list: Paris-Montsouris, Lyon-Bron, Tokyo-Otemachi.", Ephemeral);

        var user = request.Messages[1].Parts;
        Assert.Equal(3, user.Count);
        AssertText(user[0], "What's the weather in Paris and Lyon? Here is a photo.", null);
        var inline = Assert.IsType<ImagePart>(user[1]);
        Assert.Equal((null, "image/jpeg"), (inline.Url, inline.MediaType));
        Assert.StartsWith("/9j/4AAQSkZJRg", inline.Base64Data, StringComparison.Ordinal);
        Assert.EndsWith("AP/aAAgBAQABPxA=", inline.Base64Data, StringComparison.Ordinal);
        var url = Assert.IsType<ImagePart>(user[2]);
        Assert.Equal(("https://upload.wikimedia.org/wikipedia/commons/a/a8/Tour_Eiffel_Wikimedia_Commons.jpg", null, null), (url.Url, url.MediaType, url.Base64Data));

        var assistant = request.Messages[2].Parts;
        Assert.Equal(5, assistant.Count);
        var thinking = Assert.IsType<ThinkingPart>(assistant[0]);
        Assert.Equal(
            ("The user wants the weather in two cities. I should call get_weather twice.", AnthropicStreamDecoderTests.Signature, null),
            (thinking.Text, thinking.Signature, thinking.RedactedData));
        var redacted = Assert.IsType<ThinkingPart>(assistant[1]);
        Assert.Equal(
            (string.Empty, null, "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB8URj2pLmN3kF8/dW5hR7xJ0aP"),
            (redacted.Text, redacted.Signature, redacted.RedactedData));
        AssertText(assistant[2], "I'll check both cities.", null);
        AssertCall(assistant[3], "toolu_01A09q90qw90lq917835lq9", """{"location":"Paris, France","unit":"celsius"}""");
        AssertCall(assistant[4], "toolu_01B5p2x8Wn3mQk7Rt9Yv4Zc1", """{"location":"Lyon, France","unit":"celsius"}""");

        var results = request.Messages[3].Parts;
        Assert.Equal(2, results.Count);
        var paris = Assert.IsType<ToolResultPart>(results[0]);
        Assert.Equal(("toolu_01A09q90qw90lq917835lq9", false, Ephemeral), (paris.ToolCallId, paris.IsError, paris.CacheControlJson));
        AssertText(Assert.Single(paris.Content), "18°C, partly cloudy", null);
        var lyon = Assert.IsType<ToolResultPart>(results[1]);
        Assert.Equal(("toolu_01B5p2x8Wn3mQk7Rt9Yv4Zc1", true, null), (lyon.ToolCallId, lyon.IsError, lyon.CacheControlJson));
        AssertText(Assert.Single(lyon.Content), "Station Lyon-Bron is offline.", null);
        AssertText(Assert.Single(request.Messages[4].Parts), "Should I bring an umbrella?", null);

        var tool = Assert.Single(request.Tools);
        Assert.Equal(("get_weather", "Get the current weather in a given location", null, Ephemeral), (tool.Name, tool.Description, tool.Strict, tool.CacheControlJson));
        Fixture.AssertJsonEqual(
            """{"type":"object","properties":{"location":{"type":"string","description":"City and country, e.g. Paris, France"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}""",
            tool.ParametersJson);
        Assert.Equal((new ToolChoice(ToolChoiceMode.Auto), false), (request.ToolChoice, request.ParallelToolCalls));
        Assert.Equal((16000, 10000, "user-1234", true), (request.MaxTokens, request.ThinkingBudget, request.User, request.Stream));
        Assert.Equal(["</answer>"], request.Stop);
        Assert.Equal(((double?)null, (double?)null, (int?)null), (request.Temperature, request.TopP, request.TopK));
        Assert.Equal("\"auto\"", Assert.Single(request.Extra, e => e.Key == "service_tier").Value.GetRawText());
        Assert.Single(request.Extra);
    }

    [Theory]
    [InlineData("""{"type":"any"}""", ToolChoiceMode.Required, null)]
    [InlineData("""{"type":"none"}""", ToolChoiceMode.None, null)]
    [InlineData("""{"type":"tool","name":"get_weather"}""", ToolChoiceMode.Function, "get_weather")]
    public void Tool_choice_forms(string json, ToolChoiceMode mode, string? name)
    {
        var request = Decode($$"""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tool_choice":{{json}}}""");

        Assert.Equal((new ToolChoice(mode, name), (bool?)null), (request.ToolChoice, request.ParallelToolCalls));
    }

    [Fact]
    public void String_system_and_sampling_parameters()
    {
        var request = Decode("""{"model":"m","max_tokens":10,"system":"Be brief.","messages":[{"role":"user","content":"hi"}],"temperature":0.5,"top_p":0.9,"top_k":40,"stop_sequences":["x","y"]}""");

        Assert.Equal((Role.System, "Be brief."), (request.Messages[0].Role, Assert.IsType<TextPart>(Assert.Single(request.Messages[0].Parts)).Text));
        Assert.Equal((0.5, 0.9, 40), (request.Temperature, request.TopP, request.TopK));
        Assert.Equal(["x", "y"], request.Stop);
    }

    [Fact]
    public void Turn_with_an_empty_content_array_is_kept_after_a_system_prompt()
    {
        // Found by the anthropic-request fuzz session: the empty turn was dropped, so the request re-encoded with
        // "messages": [] and its own decoder rejected it.
        var request = Decode("""{"model":"c","max_tokens":1,"system":"s","messages":[{"role":"user","content":[]}]}""");

        Assert.Equal([Role.System, Role.User], request.Messages.ConvertAll(m => m.Role));
        Assert.Empty(request.Messages[1].Parts);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", "max_tokens", "'max_tokens' is required")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[]}""", "messages", "'messages' must contain at least one message.")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"system","content":"x"}]}""", "messages.0.role", "'messages.0.role' must be \"user\" or \"assistant\"")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_use","id":"a","name":"b","input":{}}]}]}""", "messages.0.content.0", "'messages.0.content.0': tool_use blocks are only allowed in assistant messages.")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":[{"type":"tool_result","tool_use_id":"a"}]}]}""", "messages.0.content.0", "'messages.0.content.0': tool_result blocks are only allowed in user messages.")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"b","input":[]}]}]}""", "messages.0.content.0.input", "'messages.0.content.0.input' must be an object, not an array.")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]}""", "messages.0.content.0.source.type", "'messages.0.content.0.source.type' must be \"base64\" or \"url\".")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"thinking":{"type":"enabled","budget_tokens":100}}""", "thinking.budget_tokens", "'thinking.budget_tokens' must be between 1024")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "tools.0.type", "'tools.0.type' \"web_search_20250305\": server tools are not supported")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"t"}]}""", "tools.0.input_schema", "'tools.0.input_schema' is required.")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"temperature":1.5}""", "temperature", "'temperature' must be between 0 and 1; got 1.5.")]
    public void Invalid_requests_are_rejected_with_the_parameter_at_fault(string body, string param, string messageStart)
    {
        var ex = Assert.Throws<GatewayException>(() => Decode(body));

        Assert.Equal((ErrorKind.InvalidRequest, 400, param), (ex.Error.Kind, ex.Error.HttpStatus, ex.Error.Param));
        Assert.StartsWith(messageStart, ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_unicode_is_a_client_error()
    {
        // Found by the fuzz corpus (anthropic-request/invalid-utf8*.json, lone-surrogate*.json).
        byte[] invalidUtf8 = [.. "{\"model\":\"c\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xED, 0xA0, 0x80, .. "\"}]}"u8];

        var utf8 = Assert.Throws<GatewayException>(() => AnthropicRequestDecoder.Decode(invalidUtf8));
        var surrogate = Assert.Throws<GatewayException>(() => Decode("""{"model":"c","max_tokens":1,"system":"\udbff","messages":[{"role":"user","content":"x"}]}"""));

        Assert.Equal((400, "invalid_json"), (utf8.Error.HttpStatus, utf8.Error.Code));
        Assert.Equal((400, "invalid_json"), (surrogate.Error.HttpStatus, surrogate.Error.Code));
    }

    private static ChatRequest Decode(string json) => AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(json));

    private static void AssertText(ContentPart part, string text, string? cacheControl)
    {
        var textPart = Assert.IsType<TextPart>(part);
        Assert.Equal((text, cacheControl), (textPart.Text, textPart.CacheControlJson));
    }

    private static void AssertCall(ContentPart part, string id, string arguments)
    {
        var call = Assert.IsType<ToolCallPart>(part);
        Assert.Equal((id, "get_weather", null), (call.Id, call.Name, call.ThoughtSignature));
        Fixture.AssertJsonEqual(arguments, call.ArgumentsJson);
    }
}
