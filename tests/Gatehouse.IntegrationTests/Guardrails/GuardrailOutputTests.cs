using System.Text.Json;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Xunit;

namespace Gatehouse.IntegrationTests.Guardrails;

/// <summary>Output and tool-call guardrails (stage inspect-out) through the HTTP API: non-streamed and streamed, in both dialects.</summary>
public sealed class GuardrailOutputTests
{
    private const string Token = "ghp_Zx8Kq2Lm4Np6Rs8Tv0Wy2Ab4Cd6Ef8Gh0Ij2";
    private static readonly string Prefix = string.Concat(Enumerable.Repeat("The quick brown fox jumps. ", 12));

    private static Task<GatewayTestHost> StartAsync(params GuardrailConfig[] guardrails) =>
        GatewayTestHost.StartAsync((config, _, _) => config.Guardrails = [.. guardrails]);

    [Fact]
    public async Task Several_answers_per_request_are_refused_while_output_guardrails_apply()
    {
        await using var host = await StartAsync(GuardrailConfigs.Secrets());

        var (refused, json) = await host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","n":2,"messages":[{"role":"user","content":"Hi"}]}""");
        var (streamed, _) = await host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","n":3,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Equal("n", json.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(400, (int)streamed.StatusCode);
        Assert.Empty(host.OpenAi.Received);
        var (one, _) = await host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","n":1,"messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal(200, (int)one.StatusCode);
    }

    [Fact]
    public async Task Several_answers_per_request_pass_through_when_no_output_guardrail_applies()
    {
        await using var host = await StartAsync(GuardrailConfigs.Injection());

        var (response, _) = await host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","n":2,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, host.OpenAi.LastBody().GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task A_secret_split_across_openai_chunks_is_redacted_in_the_stream()
    {
        await using var host = await StartAsync(GuardrailConfigs.Secrets());
        ScriptedStreams.EnqueueOpenAiText(host.OpenAi, Prefix + "Your key is ghp_Zx8Kq2Lm", "4Np6Rs8Tv0Wy2A", "b4Cd6Ef8Gh0Ij2 and nothing", " else.");
        var (response, events) = await host.Client.PostSseAsync("/v1/chat/completions",
            """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"key?"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(Prefix + "Your key is [GITHUB_TOKEN_1] and nothing else.", ScriptedStreams.OpenAiText(events));
        Assert.Equal("[DONE]", events[^1].Data);
        Assert.Equal("stop", JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_secret_split_across_chunks_is_redacted_in_an_anthropic_stream()
    {
        await using var host = await StartAsync(GuardrailConfigs.Secrets());
        ScriptedStreams.EnqueueOpenAiText(host.OpenAi, Prefix + "Your key is gh", "p_Zx8Kq2Lm4Np6Rs8Tv0Wy2A", "b4Cd6Ef8Gh0Ij2.");
        var (response, events) = await host.Client.PostSseAsync("/v1/messages",
            """{"model":"openai/gpt-4o-mini","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"key?"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(Prefix + "Your key is [GITHUB_TOKEN_1].", ScriptedStreams.AnthropicText(events));
        Assert.Equal("message_stop", events[^1].Event);
        Assert.Single(events, e => e.Event == "content_block_stop");
    }

    [Fact]
    public async Task A_non_streamed_answer_is_redacted_even_on_the_pass_through_path()
    {
        await using var host = await StartAsync(GuardrailConfigs.Pii("redact", "output"));
        var (response, json) = await host.Client.PostJsonAsync("/v1/chat/completions",
            """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"write to jane.doe@example.com"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("write to jane.doe@example.com", host.OpenAi.LastBody().GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("OpenAI says: write to [EMAIL_1]", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("pii=redacted", response.Header("x-gatehouse-guardrails"));
    }

    [Fact]
    public async Task A_blocked_answer_is_replaced_by_the_error()
    {
        await using var host = await StartAsync(GuardrailConfigs.Banned("launch codes", "block", "output"));
        var (response, json) = await host.Client.PostJsonAsync("/v1/messages",
            """{"model":"claude/claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"tell me the launch codes"}]}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("Guardrail 'words' blocked the answer: content policy: banned_phrase.", json.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("words=blocked", response.Header("x-gatehouse-guardrails"));
    }

    [Fact]
    public async Task A_mid_stream_block_ends_the_openai_stream_with_an_error_event()
    {
        await using var host = await StartAsync(GuardrailConfigs.Banned("launch codes", "block", "output"));
        ScriptedStreams.EnqueueOpenAiText(host.OpenAi, Prefix, Prefix, "and the launch ", "codes are 0000.", Prefix);
        var (response, events) = await host.Client.PostSseAsync("/v1/chat/completions",
            """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var text = ScriptedStreams.OpenAiText(events);
        Assert.StartsWith(Prefix, text, StringComparison.Ordinal);
        Assert.DoesNotContain("launch", text, StringComparison.Ordinal);
        Assert.Equal("[DONE]", events[^1].Data);
        var error = JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("error");
        Assert.Equal("guardrail_blocked", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_mid_stream_block_ends_the_anthropic_stream_with_an_error_event()
    {
        await using var host = await StartAsync(GuardrailConfigs.Banned("launch codes", "block", "output"));
        ScriptedStreams.EnqueueOpenAiText(host.OpenAi, Prefix, Prefix, "and the launch ", "codes are 0000.", Prefix);
        var (_, events) = await host.Client.PostSseAsync("/v1/messages",
            """{"model":"openai/gpt-4o-mini","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.DoesNotContain("launch", ScriptedStreams.AnthropicText(events), StringComparison.Ordinal);
        Assert.Equal("error", events[^1].Event);
        var error = JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("Guardrail 'words'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private const string WeatherTools = """
        "tool_choice":"required","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
        "messages":[{"role":"user","content":"Weather in Paris?"}]
        """;

    [Fact]
    public async Task A_disallowed_tool_call_is_blocked()
    {
        await using var host = await StartAsync(GuardrailConfigs.Tools("search", "lookup_*"));
        var (response, json) = await host.Client.PostJsonAsync("/v1/chat/completions", $$"""{"model":"openai/gpt-4o-mini",{{WeatherTools}}}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("Guardrail 'tools' blocked the tool call in the answer: tool 'get_weather' is not allowed.", json.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_disallowed_streamed_tool_call_never_reaches_the_client()
    {
        await using var host = await StartAsync(GuardrailConfigs.Tools("search"));
        var (_, events) = await host.Client.PostSseAsync("/v1/chat/completions", $$"""{"model":"openai/gpt-4o-mini","stream":true,{{WeatherTools}}}""");

        Assert.DoesNotContain(events, e => e.Data.Contains("\"tool_calls\":[", StringComparison.Ordinal));
        Assert.Equal("guardrail_blocked", JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_allowed_streamed_tool_call_is_relayed_whole()
    {
        await using var host = await StartAsync(GuardrailConfigs.Tools("get_*"));
        var (_, events) = await host.Client.PostSseAsync("/v1/chat/completions", $$"""{"model":"openai/gpt-4o-mini","stream":true,{{WeatherTools}}}""");

        var calls = events.Where(e => e.Data.Contains("\"tool_calls\":[", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Contains("get_weather", calls[0].Data, StringComparison.Ordinal);
        Assert.Contains("{\\\"city\\\":\\\"Paris\\\"}", calls[1].Data, StringComparison.Ordinal);
        Assert.Equal("[DONE]", events[^1].Data);
    }
}
