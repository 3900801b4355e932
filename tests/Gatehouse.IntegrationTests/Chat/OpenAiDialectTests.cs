using System.Text.Json;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>OpenAI Chat Completions in, every provider out, over raw HTTP with exact assertions.</summary>
public sealed class OpenAiDialectTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Same_dialect_forwards_the_client_body_with_only_the_model_replaced()
    {
        const string body = """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"logit_bias":{"50256":-100},"x_custom":{"keep":[1,2]}}""";
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("OpenAI says: Hi", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"logit_bias":{"50256":-100},"x_custom":{"keep":[1,2]}}""",
            System.Text.Encoding.UTF8.GetString(_host.OpenAi.Last().Body));
        Assert.Equal($"Bearer {GatewayTestHost.OpenAiKey}", _host.OpenAi.Last().Headers["authorization"]);
        Assert.Equal("openai", response.Header("x-gatehouse-provider"));
        Assert.Equal("gpt-4o-mini", response.Header("x-gatehouse-model"));
        Assert.Equal("1", response.Header("x-gatehouse-attempts"));
        Assert.StartsWith("req_", response.Header("x-request-id"), StringComparison.Ordinal);

        // gpt-4o-mini: 8 uncached input × $0.15/M + 3 cached × $0.075/M + 7 output × $0.60/M.
        Assert.Equal("0.000005625", response.Header("x-gatehouse-cost-usd"));
    }

    [Fact]
    public async Task Openai_request_served_by_anthropic_is_translated_both_ways()
    {
        const string body = """
            {"model":"claude/claude-sonnet-4-5","max_tokens":50,"temperature":1.5,"stop":"END","user":"u-1",
             "messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":"No jokes."},{"role":"user","content":"Hello there"}]}
            """;
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);

        Assert.Equal(200, (int)response.StatusCode);
        var upstream = _host.Anthropic.LastBody();
        Assert.Equal("claude-sonnet-4-5", upstream.GetProperty("model").GetString());
        Assert.Equal("Be brief.\nNo jokes.", upstream.GetProperty("system").GetString());
        Assert.Equal(50, upstream.GetProperty("max_tokens").GetInt32());
        Assert.Equal(1.0, upstream.GetProperty("temperature").GetDouble());
        Assert.Equal("END", upstream.GetProperty("stop_sequences")[0].GetString());
        Assert.Equal("u-1", upstream.GetProperty("metadata").GetProperty("user_id").GetString());
        Assert.Equal("Hello there", upstream.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("text").GetString());

        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal("claude-sonnet-4-5", json.GetProperty("model").GetString());
        var choice = json.GetProperty("choices")[0];
        Assert.Equal("Anthropic says: Hello there", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = json.GetProperty("usage");
        Assert.Equal(FakeAnthropic.InputTokens + 2 + 1, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(FakeAnthropic.OutputTokens, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(2, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public async Task Tool_calls_round_trip_through_anthropic()
    {
        const string first = """
            {"model":"claude/claude-sonnet-4-5","tool_choice":"required","parallel_tool_calls":false,
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
             "messages":[{"role":"user","content":"Weather in Paris?"}]}
            """;
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", first);
        Assert.Equal(200, (int)response.StatusCode);
        var upstream = _host.Anthropic.LastBody();
        Assert.Equal("any", upstream.GetProperty("tool_choice").GetProperty("type").GetString());
        Assert.True(upstream.GetProperty("tool_choice").GetProperty("disable_parallel_tool_use").GetBoolean());
        Assert.Equal("city", upstream.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("required")[0].GetString());

        var choice = json.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = choice.GetProperty("message").GetProperty("tool_calls")[0];
        Assert.Equal("toolu_fake_1", call.GetProperty("id").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("function").GetProperty("arguments").GetString());

        const string second = """
            {"model":"claude/claude-sonnet-4-5",
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "messages":[{"role":"user","content":"Weather in Paris?"},
                         {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_fake_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
                         {"role":"tool","tool_call_id":"toolu_fake_1","content":"18C and sunny"},
                         {"role":"user","content":"Thanks"}]}
            """;
        var (secondResponse, secondJson) = await _host.Client.PostJsonAsync("/v1/chat/completions", second);
        Assert.Equal(200, (int)secondResponse.StatusCode);
        var messages = _host.Anthropic.LastBody().GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        Assert.Equal("tool_use", messages[1].GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("Paris", messages[1].GetProperty("content")[0].GetProperty("input").GetProperty("city").GetString());
        var userTurn = messages[2].GetProperty("content");
        Assert.Equal("tool_result", userTurn[0].GetProperty("type").GetString());
        Assert.Equal("toolu_fake_1", userTurn[0].GetProperty("tool_use_id").GetString());
        Assert.Equal("18C and sunny", userTurn[0].GetProperty("content").GetString());
        Assert.Equal("Thanks", userTurn[1].GetProperty("text").GetString());
        Assert.Equal("Anthropic says: Thanks", secondJson.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Streamed_openai_answer_passes_through_and_hides_usage_the_client_did_not_ask_for()
    {
        var (response, events) = await _host.Client.PostSseAsync("/v1/chat/completions",
            """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Stream please"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.True(_host.OpenAi.LastBody().GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("[DONE]", events[^1].Data);
        var text = string.Concat(events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : string.Empty));
        Assert.Equal("OpenAI says: Stream please", text);
        Assert.DoesNotContain(events, e => e.Data.Contains("\"usage\"", StringComparison.Ordinal));

        await _host.SingleLogAsync(l => l.Id == response.Header("x-request-id"));
        var log = JsonDocument.Parse(await _host.Client.GetStringAsync("/admin/api/requests?limit=1")).RootElement.GetProperty("data")[0];
        Assert.Equal(FakeOpenAi.PromptTokens - FakeOpenAi.CachedTokens, log.GetProperty("input_tokens").GetInt32());
        Assert.Equal(FakeOpenAi.CompletionTokens, log.GetProperty("output_tokens").GetInt32());
        Assert.True(log.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Streamed_answer_from_anthropic_is_reencoded_as_openai_chunks_with_usage()
    {
        var (response, events) = await _host.Client.PostSseAsync("/v1/chat/completions",
            """{"model":"claude/claude-sonnet-4-5","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Go"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.Equal("[DONE]", events[^1].Data);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : string.Empty));
        Assert.Equal("Anthropic says: Go", text);
        var finish = chunks.Single(c => c.GetProperty("choices").GetArrayLength() > 0 && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
        Assert.Equal("stop", finish.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var usage = chunks[^1].GetProperty("usage");
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(FakeAnthropic.OutputTokens, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(FakeAnthropic.InputTokens + 3, usage.GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Streamed_tool_call_arguments_arrive_as_deltas_from_anthropic()
    {
        var (_, events) = await _host.Client.PostSseAsync("/v1/chat/completions", """
            {"model":"claude/claude-sonnet-4-5","stream":true,"tool_choice":{"type":"function","function":{"name":"lookup"}},
             "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],
             "messages":[{"role":"user","content":"x"}]}
            """);
        var calls = events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement)
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0 && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        Assert.Equal("toolu_fake_1", calls[0].GetProperty("id").GetString());
        Assert.Equal("lookup", calls[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", string.Concat(calls.Select(c => c.GetProperty("function").GetProperty("arguments").GetString())));
        Assert.All(calls, c => Assert.Equal(0, c.GetProperty("index").GetInt32()));
    }

    [Fact]
    public async Task Signed_thinking_survives_a_round_trip_through_an_openai_client()
    {
        var (_, first) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            """{"model":"claude/claude-sonnet-4-5","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"Think"}]}""");
        var message = first.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Let me think.", message.GetProperty("reasoning_content").GetString());
        var block = message.GetProperty("thinking_blocks")[0];
        Assert.Equal(FakeAnthropic.Signature, block.GetProperty("signature").GetString());

        var next = $$"""
            {"model":"claude/claude-sonnet-4-5","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},
             "messages":[{"role":"user","content":"Think"},{"role":"assistant","content":"Anthropic says: Think","thinking_blocks":[{{block.GetRawText()}}]},{"role":"user","content":"Again"}]}
            """;
        var (response, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", next);
        Assert.Equal(200, (int)response.StatusCode);
        var sent = _host.Anthropic.LastBody().GetProperty("messages")[1].GetProperty("content")[0];
        Assert.Equal("thinking", sent.GetProperty("type").GetString());
        Assert.Equal(FakeAnthropic.Signature, sent.GetProperty("signature").GetString());
        Assert.Equal("Let me think.", sent.GetProperty("thinking").GetString());
    }

    [Fact]
    public async Task Images_are_translated_to_anthropic_blocks()
    {
        var (response, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", """
            {"model":"claude/claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}
            """);
        Assert.Equal(200, (int)response.StatusCode);
        var content = _host.Anthropic.LastBody().GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("base64", content[1].GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("image/png", content[1].GetProperty("source").GetProperty("media_type").GetString());
        Assert.Equal("iVBORw0KGgo=", content[1].GetProperty("source").GetProperty("data").GetString());
        Assert.Equal("https://example.com/cat.jpg", content[2].GetProperty("source").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Json_schema_response_format_reaches_openai_unchanged()
    {
        var (response, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", """
            {"model":"smart","response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}}}}},
             "seed":7,"messages":[{"role":"user","content":"json"}]}
            """);
        Assert.Equal(200, (int)response.StatusCode);
        var format = _host.OpenAi.LastBody().GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("answer", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal(7, _host.OpenAi.LastBody().GetProperty("seed").GetInt32());
    }
    [Fact]
    public async Task Json_schema_on_anthropic_forces_a_reserved_tool_and_returns_its_input_as_the_answer()
    {
        const string body = """
            {"model":"claude/claude-sonnet-4-5","response_format":{"type":"json_schema","json_schema":{"name":"place","schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
             "messages":[{"role":"user","content":"Where?"}]}
            """;
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal(200, (int)response.StatusCode);
        var upstream = _host.Anthropic.LastBody();
        Assert.Equal("gatehouse_json_response", upstream.GetProperty("tools")[0].GetProperty("name").GetString());
        Assert.Equal("city", upstream.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("required")[0].GetString());
        Assert.Equal("tool", upstream.GetProperty("tool_choice").GetProperty("type").GetString());
        var choice = json.GetProperty("choices")[0];
        Assert.Equal("""{"city":"Paris"}""", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));

        var (_, events) = await _host.Client.PostSseAsync("/v1/chat/completions", body.Replace("\"messages\"", "\"stream\":true,\"messages\"", StringComparison.Ordinal));
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        var text = string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : string.Empty));
        Assert.Equal("""{"city":"Paris"}""", text);
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Json_object_with_client_tools_on_anthropic_becomes_a_system_instruction()
    {
        var (response, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", """
            {"model":"claude/claude-sonnet-4-5","response_format":{"type":"json_object"},
             "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Where?"}]}
            """);
        Assert.Equal(200, (int)response.StatusCode);
        var upstream = _host.Anthropic.LastBody();
        Assert.Equal("Be brief.\nRespond only with a single JSON value that matches this JSON Schema, with no other text: {\"type\":\"object\"}", upstream.GetProperty("system").GetString());
        Assert.Equal("lookup", upstream.GetProperty("tools")[0].GetProperty("name").GetString());
    }
}
