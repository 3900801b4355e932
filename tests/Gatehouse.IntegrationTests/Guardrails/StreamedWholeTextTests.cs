using System.Text.Json;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Guardrails;

/// <summary>
/// json_schema, webhook and llm_judge on streamed answers: they run on the text the client received when the answer
/// finishes; a refusal replaces the normal finish with the dialect's error event, a flag is recorded, an answer longer
/// than stream_max_chars is not scanned.
/// </summary>
public sealed class StreamedWholeTextTests
{
    private const string CitySchema = """{"type":"object","required":["city"],"properties":{"city":{"type":"string"}}}""";
    private const string OpenAiStream = """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Where?"}]}""";
    private const string AnthropicStream = """{"model":"openai/gpt-4o-mini","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Where?"}]}""";

    private static GuardrailConfig Schema(string action = "block") =>
        new() { Name = "schema", Detector = "json_schema", Schema = CitySchema, ApplyTo = ["output"], Action = action, RouteTo = action == "route" ? "claude/claude-sonnet-4-5" : null };

    private static GuardrailConfig Webhook(Uri url, string action = "block", string onError = "open") => new()
    {
        Name = "hook",
        Detector = "webhook",
        Url = new Uri(url, "/check").ToString(),
        ApplyTo = ["output"],
        Action = action,
        Timeout = TimeSpan.FromSeconds(2),
        FailOpen = onError == "open",
    };

    [Fact]
    public async Task An_openai_stream_whose_text_fails_the_schema_ends_with_an_error_event_instead_of_its_finish()
    {
        await using var host = await GuardrailConfigs.StartAsync(Schema());
        ScriptedStreams.EnqueueOpenAiText(host.OpenAi, "The city ", "is Paris.");
        var (response, events) = await host.Client.PostSseAsync("/v1/chat/completions", OpenAiStream);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("The city is Paris.", ScriptedStreams.OpenAiText(events));
        Assert.DoesNotContain(events, e => e.Data.Contains("\"finish_reason\":\"stop\"", StringComparison.Ordinal));
        Assert.Equal("[DONE]", events[^1].Data);
        var error = JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("error");
        Assert.Equal("guardrail_blocked", error.GetProperty("code").GetString());
        Assert.StartsWith("Guardrail 'schema' blocked the answer: the answer does not match the JSON schema", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var log = await host.SingleLogAsync();
        Assert.Equal("schema:output=blocked", log.Guardrails);
        Assert.Equal("guardrail_blocked", log.ErrorCode);
    }

    [Fact]
    public async Task An_anthropic_stream_whose_text_matches_the_schema_finishes_normally()
    {
        await using var host = await GuardrailConfigs.StartAsync(Schema());
        ScriptedStreams.EnqueueOpenAiText(host.OpenAi, "{\"city\":", "\"Paris\"}");
        var (response, events) = await host.Client.PostSseAsync("/v1/messages", AnthropicStream);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("{\"city\":\"Paris\"}", ScriptedStreams.AnthropicText(events));
        Assert.Equal("message_stop", events[^1].Event);
        Assert.DoesNotContain(events, e => e.Event == "error");
        Assert.Equal("schema:output=pass", (await host.SingleLogAsync()).Guardrails);
    }

    [Fact]
    public async Task The_requests_own_json_schema_is_checked_and_the_usage_after_the_finish_is_still_counted()
    {
        await using var host = await GuardrailConfigs.StartAsync(new GuardrailConfig { Name = "schema", Detector = "json_schema", ApplyTo = ["output"] });
        var (_, events) = await host.Client.PostSseAsync("/v1/chat/completions", """
            {"model":"openai/gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Where?"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"place","schema":
            """ + CitySchema + "}}}");

        Assert.Equal("OpenAI says: Where?", ScriptedStreams.OpenAiText(events));
        Assert.Equal("guardrail_blocked", JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(events, e => e.Data.Contains("\"usage\"", StringComparison.Ordinal));
        var log = await host.SingleLogAsync();
        Assert.Equal(FakeOpenAi.PromptTokens - FakeOpenAi.CachedTokens, log.InputTokens);
        Assert.Equal(FakeOpenAi.CompletionTokens, log.OutputTokens);
    }

    [Fact]
    public async Task A_webhook_violation_on_an_anthropic_stream_ends_it_with_an_error_event()
    {
        var webhook = new FakeWebhook { Answer = """{"verdict":"violation","reason":"leaks a codename"}""" };
        await using var server = await FakeServer.StartAsync(webhook);
        await using var host = await GuardrailConfigs.StartAsync(Webhook(server.Url));
        ScriptedStreams.EnqueueOpenAiText(host.OpenAi, "Project ", "Falcon ships ", "in May.");
        var (_, events) = await host.Client.PostSseAsync("/v1/messages", AnthropicStream);

        Assert.Equal("Project Falcon ships in May.", ScriptedStreams.AnthropicText(events));
        Assert.Equal("error", events[^1].Event);
        Assert.DoesNotContain(events, e => e.Event is "message_stop" or "message_delta");
        var error = JsonDocument.Parse(events[^1].Data).RootElement;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("Guardrail 'hook' blocked the answer: leaks a codename.", error.GetProperty("error").GetProperty("message").GetString());
        var sent = Assert.Single(webhook.Received);
        var body = JsonDocument.Parse(sent.Body).RootElement;
        Assert.Equal("Project Falcon ships in May.", body.GetProperty("content").GetString());
        Assert.Equal("output", body.GetProperty("stage").GetString());
        Assert.Equal("hook:output=blocked", (await host.SingleLogAsync()).Guardrails);
    }

    [Fact]
    public async Task A_webhook_flag_on_a_stream_is_recorded_and_the_stream_finishes()
    {
        var webhook = new FakeWebhook { Answer = """{"verdict":"violation","reason":"off topic"}""" };
        await using var server = await FakeServer.StartAsync(webhook);
        await using var host = await GuardrailConfigs.StartAsync(Webhook(server.Url, action: "flag"));
        var (_, events) = await host.Client.PostSseAsync("/v1/chat/completions", OpenAiStream);

        Assert.Equal("OpenAI says: Where?", ScriptedStreams.OpenAiText(events));
        Assert.Equal("stop", JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("hook:output=flagged", (await host.SingleLogAsync()).Guardrails);
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("gatehouse_guardrail_verdicts_total{guardrail=\"hook\",stage=\"output\",outcome=\"flagged\"} 1", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("open", "hook:output=not_scanned")]
    [InlineData("closed", "hook:output=failed_closed")]
    public async Task A_webhook_timeout_at_the_end_of_a_stream_fails_open_or_closed(string onError, string verdict)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var webhook = new FakeWebhook { Hang = true };
        await using var server = await FakeServer.StartAsync(webhook);
        await using var host = await GatewayTestHost.StartAsync((config, _, _) => config.Guardrails = [Webhook(server.Url, onError: onError)], time);

        var call = host.Client.PostSseAsync("/v1/chat/completions", OpenAiStream);
        await webhook.Arrived;
        time.Advance(TimeSpan.FromSeconds(2));
        var (_, events) = await call;

        Assert.Equal("OpenAI says: Where?", ScriptedStreams.OpenAiText(events));
        Assert.Equal("[DONE]", events[^1].Data);
        var last = JsonDocument.Parse(events[^2].Data).RootElement;
        if (onError == "open")
        {
            Assert.Equal("stop", last.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        }
        else
        {
            Assert.Equal("guardrail_unavailable", last.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("Guardrail 'hook' could not check the answer (timed out after 2000 ms) and is configured to fail closed. Retry later.", last.GetProperty("error").GetProperty("message").GetString());
        }

        Assert.Equal(verdict, (await host.SingleLogAsync()).Guardrails);
    }

    [Fact]
    public async Task An_llm_judge_flags_a_streamed_answer()
    {
        await using var host = await GuardrailConfigs.StartAsync(new GuardrailConfig { Name = "judge", Detector = "llm_judge", Model = "openai/gpt-4o-mini", ApplyTo = ["output"], Action = "flag" });
        host.OpenAi.Enqueue(http =>
        {
            http.Response.ContentType = "application/json";
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(http.Response, """
                {"id":"chatcmpl-judge","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"unsafe\nS1"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":50,"completion_tokens":3,"total_tokens":53}}
                """);
        });
        var (_, events) = await host.Client.PostSseAsync("/v1/messages",
            """{"model":"claude/claude-sonnet-4-5","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hello"}]}""");

        Assert.Equal("Anthropic says: Hello", ScriptedStreams.AnthropicText(events));
        Assert.Equal("message_stop", events[^1].Event);
        Assert.Contains("Anthropic says: Hello", host.OpenAi.LastBody().GetProperty("messages")[1].GetProperty("content").ToString(), StringComparison.Ordinal);
        Assert.Equal("judge:output=flagged", (await host.SingleLogAsync()).Guardrails);
    }

    [Theory]
    [InlineData(true, "schema:output=not_scanned")]
    [InlineData(false, "schema:output=failed_closed")]
    public async Task An_answer_longer_than_stream_max_chars_is_not_scanned(bool failOpen, string verdict)
    {
        var schema = Schema();
        schema.StreamMaxChars = 1024;
        schema.FailOpen = failOpen;
        await using var host = await GuardrailConfigs.StartAsync(schema);
        var text = string.Concat(Enumerable.Repeat("0123456789", 60));
        ScriptedStreams.EnqueueOpenAiText(host.OpenAi, text, text);
        var (_, events) = await host.Client.PostSseAsync("/v1/chat/completions", OpenAiStream);

        Assert.Equal(text + text, ScriptedStreams.OpenAiText(events));
        var last = JsonDocument.Parse(events[^2].Data).RootElement;
        if (failOpen)
        {
            Assert.Equal("stop", last.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        }
        else
        {
            Assert.Equal(
                "Guardrail 'schema' could not check the answer (the streamed answer is longer than its stream_max_chars (1024 characters)) and is configured to fail closed. Retry later.",
                last.GetProperty("error").GetProperty("message").GetString());
        }

        Assert.Equal(verdict, (await host.SingleLogAsync()).Guardrails);
    }

    [Fact]
    public async Task A_route_verdict_at_the_end_of_a_stream_ends_it_with_an_error_event()
    {
        await using var host = await GuardrailConfigs.StartAsync(Schema("route"));
        var (_, events) = await host.Client.PostSseAsync("/v1/chat/completions", OpenAiStream);

        Assert.Equal("OpenAI says: Where?", ScriptedStreams.OpenAiText(events));
        var message = JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("error").GetProperty("message").GetString();
        Assert.EndsWith("(the answer had started streaming, so it could not be served by another model).", message, StringComparison.Ordinal);
        Assert.Empty(host.Anthropic.Received);
        Assert.Equal("schema:output=blocked", (await host.SingleLogAsync()).Guardrails);
    }

}
