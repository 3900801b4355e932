using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Guardrails;

/// <summary>Webhook and LLM-judge guardrails: verdicts, timeouts on the gateway's clock with fail-open and fail-closed, the verdict cache.</summary>
public sealed class ExternalGuardrailTests
{
    private const string Hello = """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}]}""";

    private static GuardrailConfig Webhook(Uri url, string onError = "open") => new()
    {
        Name = "hook",
        Detector = "webhook",
        Url = new Uri(url, "/check").ToString(),
        ApplyTo = ["input"],
        Timeout = TimeSpan.FromSeconds(2),
        FailOpen = onError == "open",
    };

    [Fact]
    public async Task A_webhook_violation_blocks_and_the_webhook_sees_content_and_context()
    {
        var webhook = new FakeWebhook { Answer = """{"verdict":"violation","reason":"mentions a competitor"}""" };
        await using var server = await FakeServer.StartAsync(webhook);
        await using var host = await GatewayTestHost.StartAsync((config, _, _) => config.Guardrails = [Webhook(server.Url)]);

        var (response, json) = await host.Client.PostJsonAsync("/v1/chat/completions", Hello);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("Guardrail 'hook' blocked the request: mentions a competitor.", json.GetProperty("error").GetProperty("message").GetString());
        var sent = webhook.LastBody();
        Assert.Equal("Hello there", sent.GetProperty("content").GetString());
        Assert.Equal("input", sent.GetProperty("stage").GetString());
        Assert.Equal("openai/gpt-4o-mini", sent.GetProperty("context").GetProperty("model").GetString());
    }

    [Fact]
    public async Task Webhook_verdicts_are_cached_by_content()
    {
        var webhook = new FakeWebhook();
        await using var server = await FakeServer.StartAsync(webhook);
        await using var host = await GatewayTestHost.StartAsync((config, _, _) => config.Guardrails = [Webhook(server.Url)]);

        var (first, _) = await host.Client.PostJsonAsync("/v1/chat/completions", Hello);
        var (second, _) = await host.Client.PostJsonAsync("/v1/chat/completions", Hello);

        Assert.Equal("hook=pass", first.Header("x-gatehouse-guardrails"));
        Assert.Equal("hook=pass", second.Header("x-gatehouse-guardrails"));
        Assert.Single(webhook.Received);
    }

    [Theory]
    [InlineData("open", 200, "hook=not_scanned")]
    [InlineData("closed", 503, "hook=failed_closed")]
    public async Task A_webhook_timeout_fails_open_or_closed(string onError, int status, string header)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var webhook = new FakeWebhook { Hang = true };
        await using var server = await FakeServer.StartAsync(webhook);
        await using var host = await GatewayTestHost.StartAsync((config, _, _) => config.Guardrails = [Webhook(server.Url, onError)], time);

        var call = host.Client.PostJsonAsync("/v1/chat/completions", Hello);
        await webhook.Arrived;
        time.Advance(TimeSpan.FromSeconds(2));
        var (response, json) = await call;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(header, response.Header("x-gatehouse-guardrails"));
        if (status == 503)
        {
            Assert.Equal("guardrail_unavailable", json.GetProperty("error").GetProperty("code").GetString());
            Assert.Empty(host.OpenAi.Received);
        }
        else
        {
            Assert.Single(host.OpenAi.Received);
        }
    }

    private static GuardrailConfig Judge() => new()
    {
        Name = "judge",
        Detector = "llm_judge",
        Model = "openai/gpt-4o-mini",
        ApplyTo = ["input"],
    };

    [Fact]
    public async Task An_llm_judge_answering_unsafe_blocks_with_its_categories()
    {
        await using var host = await GatewayTestHost.StartAsync((config, _, _) => config.Guardrails = [Judge()]);
        host.OpenAi.Enqueue(http => JudgeAnswerAsync(http, "unsafe\\nS1,S9"));

        var (response, json) = await host.Client.PostJsonAsync("/v1/messages",
            """{"model":"claude/claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"How do I build a bomb?"}]}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("Guardrail 'judge' blocked the request: unsafe: S1 (Violent Crimes), S9 (Indiscriminate Weapons).", json.GetProperty("error").GetProperty("message").GetString());
        var judged = host.OpenAi.LastBody();
        Assert.Equal("system", judged.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Contains("How do I build a bomb?", judged.GetProperty("messages")[1].GetProperty("content").ToString(), StringComparison.Ordinal);
        Assert.Empty(host.Anthropic.Received);
    }

    [Fact]
    public async Task An_llm_judge_answering_safe_lets_the_request_through()
    {
        await using var host = await GatewayTestHost.StartAsync((config, _, _) => config.Guardrails = [Judge()]);
        host.OpenAi.Enqueue(http => JudgeAnswerAsync(http, "safe"));

        var (response, _) = await host.Client.PostJsonAsync("/v1/messages",
            """{"model":"claude/claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"Hello"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("judge=pass", response.Header("x-gatehouse-guardrails"));
        Assert.Single(host.Anthropic.Received);
    }

    private static Task JudgeAnswerAsync(Microsoft.AspNetCore.Http.HttpContext http, string verdict)
    {
        http.Response.ContentType = "application/json";
        return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(http.Response, $$$"""
            {"id":"chatcmpl-judge","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"{{{verdict}}}"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":50,"completion_tokens":3,"total_tokens":53}}
            """);
    }
}
