using System.Text.Json;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>Anthropic Messages in, Anthropic and OpenAI out, over raw HTTP with exact assertions.</summary>
public sealed class AnthropicDialectTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Same_dialect_passes_through_with_beta_header_and_unknown_fields()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"claude/claude-sonnet-4-5","max_tokens":64,"service_tier":"auto","messages":[{"role":"user","content":"Hey"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("anthropic-beta", "prompt-caching-2024-07-31");
        using var response = await _host.Client.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Anthropic says: Hey", json.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("""{"model":"claude-sonnet-4-5","max_tokens":64,"service_tier":"auto","messages":[{"role":"user","content":"Hey"}]}""",
            System.Text.Encoding.UTF8.GetString(_host.Anthropic.Last().Body));
        Assert.Equal("prompt-caching-2024-07-31", _host.Anthropic.Last().Headers["anthropic-beta"]);
        Assert.Equal(GatewayTestHost.AnthropicKey, _host.Anthropic.Last().Headers["x-api-key"]);
        Assert.Equal("2023-06-01", _host.Anthropic.Last().Headers["anthropic-version"]);
    }

    [Fact]
    public async Task Anthropic_request_served_by_openai_is_translated_both_ways()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/messages", """
            {"model":"openai/gpt-4o-mini","max_tokens":100,"system":[{"type":"text","text":"Be kind."}],"stop_sequences":["STOP"],
             "messages":[{"role":"user","content":[{"type":"text","text":"Hello"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]}]}
            """);
        Assert.Equal(200, (int)response.StatusCode);
        var upstream = _host.OpenAi.LastBody();
        Assert.Equal("gpt-4o-mini", upstream.GetProperty("model").GetString());
        Assert.Equal(100, upstream.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("system", upstream.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("Be kind.", upstream.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("STOP", upstream.GetProperty("stop")[0].GetString());
        var parts = upstream.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("Hello", parts[0].GetProperty("text").GetString());
        Assert.Equal("data:image/jpeg;base64,/9j/4AAQ", parts[1].GetProperty("image_url").GetProperty("url").GetString());

        Assert.Equal("message", json.GetProperty("type").GetString());
        Assert.Equal("assistant", json.GetProperty("role").GetString());
        Assert.Equal("gpt-4o-mini", json.GetProperty("model").GetString());
        Assert.StartsWith("msg_", json.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("OpenAI says: Hello", json.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", json.GetProperty("stop_reason").GetString());
        var usage = json.GetProperty("usage");
        Assert.Equal(FakeOpenAi.PromptTokens - FakeOpenAi.CachedTokens, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(FakeOpenAi.CachedTokens, usage.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(FakeOpenAi.CompletionTokens, usage.GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Tool_use_from_openai_reaches_an_anthropic_client_as_tool_use_blocks()
    {
        var (_, json) = await _host.Client.PostJsonAsync("/v1/messages", """
            {"model":"openai/gpt-4o-mini","max_tokens":100,"tool_choice":{"type":"any"},
             "tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "messages":[{"role":"user","content":"Weather?"}]}
            """);
        Assert.Equal("required", _host.OpenAi.LastBody().GetProperty("tool_choice").GetString());
        Assert.Equal("tool_use", json.GetProperty("stop_reason").GetString());
        var block = json.GetProperty("content")[0];
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Equal("call_fake_1", block.GetProperty("id").GetString());
        Assert.Equal("get_weather", block.GetProperty("name").GetString());
        Assert.Equal("Paris", block.GetProperty("input").GetProperty("city").GetString());

        var (response, _) = await _host.Client.PostJsonAsync("/v1/messages", """
            {"model":"openai/gpt-4o-mini","max_tokens":100,
             "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"Weather?"},
                         {"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"call_fake_1","name":"get_weather","input":{"city":"Paris"}}]},
                         {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_fake_1","content":[{"type":"text","text":"sunny"}]},{"type":"text","text":"And tomorrow?"}]}]}
            """);
        Assert.Equal(200, (int)response.StatusCode);
        var messages = _host.OpenAi.LastBody().GetProperty("messages");
        Assert.Equal(4, messages.GetArrayLength());
        Assert.Equal("Checking.", messages[1].GetProperty("content").GetString());
        Assert.Equal("""{"city":"Paris"}""", messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("call_fake_1", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny", messages[2].GetProperty("content").GetString());
        Assert.Equal("And tomorrow?", messages[3].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Stream_from_openai_becomes_the_full_anthropic_event_sequence()
    {
        var (response, events) = await _host.Client.PostSseAsync("/v1/messages",
            """{"model":"openai/gpt-4o-mini","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Flow"}]}""");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(
            new string?[] { "message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop" },
            events.Select(e => e.Event).ToArray());
        var text = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("OpenAI says: Flow", text);
        var delta = JsonDocument.Parse(events[^2].Data).RootElement;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(FakeOpenAi.CompletionTokens, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(FakeOpenAi.PromptTokens - FakeOpenAi.CachedTokens, delta.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_from_anthropic_passes_through_event_for_event()
    {
        var (_, events) = await _host.Client.PostSseAsync("/v1/messages",
            """{"model":"claude/claude-sonnet-4-5","max_tokens":2000,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"Deep"}]}""");
        Assert.Equal("message_start", events[0].Event);
        Assert.Equal("message_stop", events[^1].Event);
        var signature = events.Select(e => JsonDocument.Parse(e.Data).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "content_block_delta" && e.GetProperty("delta").GetProperty("type").GetString() == "signature_delta")
            .Select(e => e.GetProperty("delta").GetProperty("signature").GetString()).Single();
        Assert.Equal(FakeAnthropic.Signature, signature);
    }

    [Fact]
    public async Task Stream_of_tool_use_from_openai_has_input_json_deltas()
    {
        var (_, events) = await _host.Client.PostSseAsync("/v1/messages", """
            {"model":"openai/gpt-4o-mini","max_tokens":100,"stream":true,"tool_choice":{"type":"tool","name":"f"},
             "tools":[{"name":"f","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"go"}]}
            """);
        var start = JsonDocument.Parse(events.First(e => e.Event == "content_block_start").Data).RootElement.GetProperty("content_block");
        Assert.Equal("tool_use", start.GetProperty("type").GetString());
        Assert.Equal("call_fake_1", start.GetProperty("id").GetString());
        var json = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetProperty("partial_json").GetString()));
        Assert.Equal("""{"city":"Paris"}""", json);
        Assert.Equal("tool_use", JsonDocument.Parse(events.Single(e => e.Event == "message_delta").Data).RootElement.GetProperty("delta").GetProperty("stop_reason").GetString());
    }
}
