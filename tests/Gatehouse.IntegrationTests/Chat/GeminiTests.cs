using System.Text.Json;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>Both client dialects served by Gemini, thought signatures carried across turns.</summary>
public sealed class GeminiTests : IAsyncLifetime
{
    private const string Tools = """[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""";
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Openai_request_is_served_by_gemini()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            """{"model":"gemini/gemini-2.5-flash","max_tokens":64,"messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Hello Gemini"}]}""");
        Assert.Equal(200, (int)response.StatusCode);
        var request = _host.Gemini.Received[^1];
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", request.PathAndQuery);
        Assert.Equal(GatewayTestHost.GeminiKey, request.Headers["x-goog-api-key"]);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("Be terse.", body.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(64, body.GetProperty("generationConfig").GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal("Gemini says: Hello Gemini", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Streamed_gemini_answer_reaches_an_anthropic_client_as_message_events()
    {
        var (response, events) = await _host.Client.PostSseAsync("/v1/messages",
            """{"model":"gemini/gemini-2.5-flash","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Stream it"}]}""");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", _host.Gemini.Received[^1].PathAndQuery);
        Assert.Equal("message_start", events[0].Event);
        Assert.Equal("message_stop", events[^1].Event);
        var text = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("Gemini says: Stream it", text);
    }

    [Fact]
    public async Task Thought_signature_survives_an_openai_client_tool_round_trip()
    {
        var (_, first) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            $$"""{"model":"gemini/gemini-2.5-flash","tool_choice":"required","tools":{{Tools}},"messages":[{"role":"user","content":"Weather?"}]}""");
        var call = first.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(FakeGemini.ThoughtSignature, call.GetProperty("extra_content").GetProperty("google").GetProperty("thought_signature").GetString());

        var (second, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"gemini/gemini-2.5-flash","tools":{{Tools}},"messages":[{"role":"user","content":"Weather?"},
              {"role":"assistant","content":null,"tool_calls":[{{call.GetRawText()}}]},
              {"role":"tool","tool_call_id":"{{call.GetProperty("id").GetString()}}","content":"sunny"}]}
            """);
        Assert.Equal(200, (int)second.StatusCode);
        var contents = JsonDocument.Parse(_host.Gemini.Received[^1].Body).RootElement.GetProperty("contents");
        var sentCall = contents[1].GetProperty("parts")[0];
        Assert.Equal(FakeGemini.ThoughtSignature, sentCall.GetProperty("thoughtSignature").GetString());
        Assert.Equal("get_weather", contents[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Thought_signature_survives_an_anthropic_client_tool_round_trip()
    {
        var (_, first) = await _host.Client.PostJsonAsync("/v1/messages", """
            {"model":"gemini/gemini-2.5-flash","max_tokens":64,"tool_choice":{"type":"any"},
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "messages":[{"role":"user","content":"Weather?"}]}
            """);
        var content = first.GetProperty("content");
        Assert.Equal("thinking", content[0].GetProperty("type").GetString());
        Assert.Equal("tool_use", content[1].GetProperty("type").GetString());
        Assert.Equal("Paris", content[1].GetProperty("input").GetProperty("city").GetString());

        var toolUseId = content[1].GetProperty("id").GetString();
        var secondBody = """
            {"model":"gemini/gemini-2.5-flash","max_tokens":64,
             "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":CONTENT},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"ID","content":"sunny"}]}]}
            """.Replace("CONTENT", content.GetRawText(), StringComparison.Ordinal).Replace("\"ID\"", $"\"{toolUseId}\"", StringComparison.Ordinal);
        var (second, _) = await _host.Client.PostJsonAsync("/v1/messages", secondBody);
        Assert.Equal(200, (int)second.StatusCode);
        var sentCall = JsonDocument.Parse(_host.Gemini.Received[^1].Body).RootElement.GetProperty("contents")[1].GetProperty("parts")[0];
        Assert.Equal(FakeGemini.ThoughtSignature, sentCall.GetProperty("thoughtSignature").GetString());
        Assert.Equal("get_weather", sentCall.GetProperty("functionCall").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Gemini_errors_are_mapped()
    {
        _host.Gemini.FailNext = (429, """{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""");
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"gemini/gemini-2.5-flash","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("rate_limit_error", json.GetProperty("error").GetProperty("type").GetString());
    }
}
