using System.Text.Json;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Routing;

/// <summary>
/// Failure policies of virtual models through the HTTP API on fake time: which failures retry, the shared deadline,
/// fallback chains by failure class, error-rate breakers, per-target quotas, hedging, per-target
/// overrides, and the attempt log, headers and metrics that explain it all.
/// </summary>
public sealed class ReliabilityTests : IAsyncLifetime
{
    private const string OtherKey = "sk-test-other-region-0123";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeOpenAi _regional = new(OtherKey);
    private FakeServer _regionalServer = null!;
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _regionalServer = await FakeServer.StartAsync(_regional);
        _host = await GatewayTestHost.StartAsync(
            configure: (config, _, _) =>
            {
                foreach (var provider in config.Providers)
                {
                    provider.FirstByteTimeout = TimeSpan.FromSeconds(5);
                    provider.Timeout = TimeSpan.FromSeconds(60);
                }

                config.Models.Add(Group("picky", g => g.Retry.On = FailureClass.ServerError, "openai", "claude"));
                config.Models.Add(Group("hurried", g => g.Deadline = TimeSpan.FromSeconds(3), "openai", "claude"));
                config.Models.Add(Group("compact", g => g.Fallbacks.Add(new FallbackConfig { Model = "roomy", On = FailureClass.ContextLength }), "openai"));
                config.Models.Add(Group("roomy", _ => { }, "claude"));
                config.Models.Add(Group("careful", g => g.Fallbacks.Add(new FallbackConfig { Model = "claude/claude-sonnet-4-5", On = FailureClass.ContentPolicy }), "openai"));
                config.Models.Add(Group("primary", g => g.Fallbacks.Add(new FallbackConfig { Model = "sturdy" }), "openai"));
                config.Models.Add(Group(
                    "rated",
                    g => g.CircuitBreaker = new CircuitBreakerConfig { Failures = 100, ErrorRate = 0.5, MinRequests = 4, Window = TimeSpan.FromSeconds(60), CoolDown = TimeSpan.FromSeconds(30) },
                    "openai",
                    "claude"));
                config.Models.Add(Group("metered", g => g.Targets[0].MaxRpm = 2, "openai", "claude"));
                config.Models.Add(Group("tight", g => { g.Targets[0].MaxRpm = 1; g.Targets[1].MaxRpm = 1; }, "openai", "claude"));
                config.Models.Add(Group("hedged", g => g.Hedge = new HedgeConfig { After = TimeSpan.FromSeconds(2) }, "openai", "claude"));
                config.Models.Add(new ModelAliasConfig
                {
                    Name = "vectors",
                    Targets =
                    [
                        new() { Provider = "openai", Model = "text-embedding-3-small", BaseUrl = new Uri(_regionalServer.Url, "/v1").ToString(), ApiKey = OtherKey },
                        new() { Provider = "openai", Model = "text-embedding-3-small" },
                    ],
                    Deadline = TimeSpan.FromSeconds(30),
                });
                config.Models.Add(new ModelAliasConfig
                {
                    Name = "regional",
                    Targets =
                    [
                        new() { Provider = "openai", Model = "gpt-4o-mini", BaseUrl = new Uri(_regionalServer.Url, "/v1").ToString(), ApiKey = OtherKey, Region = "eu" },
                        new() { Provider = "openai", Model = "gpt-4o-mini" },
                    ],
                });
            },
            time: _time);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _regionalServer.DisposeAsync();
    }

    [Fact]
    public async Task Every_attempt_is_logged_with_target_status_latency_and_failure_class()
    {
        _host.OpenAi.FailNext(503, """{"error":{"message":"overloaded","type":"server_error"}}""");
        var (response, _) = await ChatAsync("smart");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("claude/claude-sonnet-4-5", response.Header("x-gatehouse-target"));

        var routing = await _host.RoutingLogAsync(response);
        var attempts = routing.GetProperty("attempts");
        Assert.Equal(2, attempts.GetArrayLength());
        Assert.Equal("openai/gpt-4o-mini", attempts[0].GetProperty("target").GetString());
        Assert.Equal(503, attempts[0].GetProperty("status").GetInt32());
        Assert.Equal("upstream_overloaded", attempts[0].GetProperty("error").GetString());
        Assert.Equal("5xx", attempts[0].GetProperty("class").GetString());
        Assert.Equal("claude/claude-sonnet-4-5", attempts[1].GetProperty("target").GetString());
        Assert.Equal(200, attempts[1].GetProperty("status").GetInt32());
        Assert.True(attempts[1].GetProperty("latency_ms").GetDouble() >= 0);

        var metrics = await _host.Client.GetStringAsync("/metrics");
        Assert.Contains("gatehouse_target_attempts_total{target=\"openai/gpt-4o-mini\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("gatehouse_target_failures_total{target=\"openai/gpt-4o-mini\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("gatehouse_target_breaker_state{target=\"claude/claude-sonnet-4-5\"} 0\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_failures_a_group_names_in_retry_on_fail_over()
    {
        _host.OpenAi.FailNext(429, """{"error":{"message":"Rate limit reached","type":"requests"}}""");
        var (limited, json) = await ChatAsync("picky");
        Assert.Equal(429, (int)limited.StatusCode);
        Assert.Equal("upstream_rate_limited", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(_host.Anthropic.Received);

        _host.OpenAi.FailNext(500, """{"error":{"message":"boom","type":"server_error"}}""");
        var (recovered, _) = await ChatAsync("picky");
        Assert.Equal(200, (int)recovered.StatusCode);
        Assert.Equal("claude", recovered.Header("x-gatehouse-provider"));
    }

    [Fact]
    public async Task The_deadline_bounds_all_attempts_together()
    {
        _host.OpenAi.HangNext();
        var pending = ChatAsync("hurried");
        await _host.OpenAi.WaitForRequestsAsync(1);
        _time.Advance(TimeSpan.FromSeconds(2.5));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        var (response, json) = await pending;

        // The first target's own first-byte timeout (5 s) never came: the 3 s deadline ended the request, and the
        // second target was not tried with no time left.
        Assert.Equal(504, (int)response.StatusCode);
        Assert.Equal("deadline_exceeded", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(_host.Anthropic.Received);
    }

    [Fact]
    public async Task Context_length_exceeded_falls_back_to_the_larger_context_group()
    {
        _host.OpenAi.FailNext(400, """{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""");
        var (response, json) = await ChatAsync("compact");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("roomy", response.Header("x-gatehouse-fallback"));
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
        Assert.Equal("Anthropic says: Hi", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var routing = await _host.RoutingLogAsync(response);
        Assert.Equal("context_length", routing.GetProperty("attempts")[0].GetProperty("class").GetString());
        Assert.Equal("roomy", routing.GetProperty("fallbacks")[0].GetString());

        // A client error of another kind has no fallback: the client gets it.
        _host.OpenAi.FailNext(400, """{"error":{"message":"Invalid 'temperature'.","type":"invalid_request_error","code":"invalid_value"}}""");
        var (rejected, _) = await ChatAsync("compact");
        Assert.Equal(400, (int)rejected.StatusCode);
        Assert.Single(_host.Anthropic.Received);
    }

    [Fact]
    public async Task A_content_filter_refusal_fails_over_to_the_content_policy_fallback()
    {
        _host.OpenAi.Enqueue(http => WriteJsonAsync(http, """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter"}],"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}"""));
        var (refused, _) = await ChatAsync("careful");
        Assert.Equal(200, (int)refused.StatusCode);
        Assert.Equal("claude/claude-sonnet-4-5", refused.Header("x-gatehouse-fallback"));
        Assert.Equal("content_policy", (await _host.RoutingLogAsync(refused)).GetProperty("attempts")[0].GetProperty("class").GetString());

        _host.OpenAi.FailNext(400, """{"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","code":"content_policy_violation"}}""");
        var (rejected, _) = await ChatAsync("careful");
        Assert.Equal(200, (int)rejected.StatusCode);
        Assert.Equal("claude", rejected.Header("x-gatehouse-provider"));

        // Without a content-policy fallback the refusal is the answer.
        _host.OpenAi.Enqueue(http => WriteJsonAsync(http, """{"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter"}],"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}"""));
        var (plain, json) = await ChatAsync("openai/gpt-4o-mini");
        Assert.Equal(200, (int)plain.StatusCode);
        Assert.Equal("content_filter", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_failed_group_falls_back_on_errors_and_streams_fall_back_too()
    {
        _host.OpenAi.FailNext(500, """{"error":{"message":"boom","type":"server_error"}}""");
        var (response, _) = await ChatAsync("primary");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("sturdy", response.Header("x-gatehouse-fallback"));

        _host.OpenAi.FailNext(502, """{"error":{"message":"bad gateway","type":"server_error"}}""");
        var (streamed, events) = await _host.Client.PostSseAsync("/v1/chat/completions", """{"model":"primary","stream":true,"messages":[{"role":"user","content":"Go"}]}""");
        Assert.Equal(200, (int)streamed.StatusCode);
        Assert.Equal("claude", streamed.Header("x-gatehouse-provider"));
        Assert.Equal("[DONE]", events[^1].Data);
    }

    [Fact]
    public async Task An_error_rate_breaker_opens_when_half_the_attempts_in_the_window_fail()
    {
        for (var i = 0; i < 4; i++)
        {
            if (i % 2 == 1)
            {
                _host.OpenAi.FailNext(500, """{"error":{"message":"boom","type":"server_error"}}""");
            }

            var (response, _) = await ChatAsync("rated");
            Assert.Equal(200, (int)response.StatusCode);
        }

        // Two of four attempts failed (50 %), never two in a row: the consecutive-failure rule alone would not open.
        var before = _host.OpenAi.Received.Count;
        var (skipped, _) = await ChatAsync("rated");
        Assert.Equal("claude", skipped.Header("x-gatehouse-provider"));
        Assert.Equal(before, _host.OpenAi.Received.Count);
        var routing = await _host.RoutingLogAsync(skipped);
        Assert.Equal("breaker_open", routing.GetProperty("skipped")[0].GetProperty("reason").GetString());

        var table = JsonDocument.Parse(await _host.Client.GetStringAsync("/admin/api/routing")).RootElement;
        var rated = table.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "rated");
        Assert.Equal("open", rated.GetProperty("targets")[0].GetProperty("breaker").GetString());
    }

    [Fact]
    public async Task A_target_at_its_rpm_quota_is_skipped_until_the_minute_passes()
    {
        Assert.Equal("openai", (await ChatAsync("metered")).Response.Header("x-gatehouse-provider"));
        Assert.Equal("openai", (await ChatAsync("metered")).Response.Header("x-gatehouse-provider"));
        var (third, _) = await ChatAsync("metered");
        Assert.Equal("claude", third.Header("x-gatehouse-provider"));
        Assert.Equal("over_quota", (await _host.RoutingLogAsync(third)).GetProperty("skipped")[0].GetProperty("reason").GetString());

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("openai", (await ChatAsync("metered")).Response.Header("x-gatehouse-provider"));
    }

    [Fact]
    public async Task When_every_target_is_over_quota_the_request_is_still_tried()
    {
        await ChatAsync("tight");
        await ChatAsync("tight");
        var (response, _) = await ChatAsync("tight");

        Assert.Equal(200, (int)response.StatusCode);
        var routing = await _host.RoutingLogAsync(response);
        Assert.Equal(2, routing.GetProperty("skipped").GetArrayLength());
        Assert.Single(routing.GetProperty("attempts").EnumerateArray());
    }

    [Fact]
    public async Task A_slow_first_attempt_is_hedged_and_the_first_answer_wins()
    {
        _host.OpenAi.HangNext();
        var pending = ChatAsync("hedged");
        await _host.OpenAi.WaitForRequestsAsync(1);
        Assert.Empty(_host.Anthropic.Received);
        _time.Advance(TimeSpan.FromSeconds(2));
        var (response, json) = await pending;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
        Assert.Equal("Anthropic says: Hi", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        await _host.OpenAi.AbortObserved.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var attempts = (await _host.RoutingLogAsync(response)).GetProperty("attempts");
        Assert.Contains(attempts.EnumerateArray(), a => a.GetProperty("target").GetString() == "claude/claude-sonnet-4-5" && a.GetProperty("hedge").GetBoolean() && a.GetProperty("status").GetInt32() == 200);
        Assert.Contains(attempts.EnumerateArray(), a => a.GetProperty("target").GetString() == "openai/gpt-4o-mini" && a.GetProperty("class").GetString() == "cancelled");

        // A fast first answer sends no hedge.
        var (quick, _) = await ChatAsync("hedged");
        Assert.Equal("openai", quick.Header("x-gatehouse-provider"));
        Assert.Single(_host.Anthropic.Received);
    }

    [Fact]
    public async Task A_target_can_override_base_url_key_and_region_of_its_provider()
    {
        var (response, _) = await ChatAsync("regional");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("openai/gpt-4o-mini@eu", response.Header("x-gatehouse-target"));
        Assert.Equal("Bearer " + OtherKey, _regional.Last().Headers["authorization"]);
        Assert.Empty(_host.OpenAi.Received);

        // The two targets are one provider and model but separate breakers and stats.
        _regional.FailNext(500, """{"error":{"message":"eu down","type":"server_error"}}""");
        var (failedOver, _) = await ChatAsync("regional");
        Assert.Equal("openai/gpt-4o-mini", failedOver.Header("x-gatehouse-target"));
    }

    [Fact]
    public async Task Embeddings_through_a_virtual_model_fail_over_and_log_their_attempts()
    {
        _regional.FailNext(503, """{"error":{"message":"overloaded","type":"server_error"}}""");
        var (response, json) = await _host.Client.PostJsonAsync("/v1/embeddings", """{"model":"vectors","input":["hello","world"]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, json.GetProperty("data").GetArrayLength());
        Assert.Equal("openai/text-embedding-3-small", response.Header("x-gatehouse-target"));
        var attempts = (await _host.RoutingLogAsync(response)).GetProperty("attempts");
        Assert.Equal("openai/text-embedding-3-small#1", attempts[0].GetProperty("target").GetString());
        Assert.Equal("5xx", attempts[0].GetProperty("class").GetString());
        Assert.Equal(200, attempts[1].GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Unknown_fallbacks_failure_classes_and_rates_are_config_errors()
    {
        var ex = Assert.Throws<ConfigException>(() => new ConfigLoader(new EnvInterpolator(_ => null)).Load(
            """
            providers:
              - { name: mock, kind: mock }
            models:
              - name: x
                targets: [{ provider: mock, model: m, max_rpm: 0 }]
                retry: { on: [5xx, 404] }
                circuit_breaker: { error_rate: 1.5 }
                fallbacks:
                  - { model: y, on: [context_lenght] }
                  - { model: x }
                  - { model: nowhere/m }
            """,
            "reliability.yaml"));
        var messages = ex.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("reliability.yaml:5:", StringComparison.Ordinal) && m.Contains("'models[0].targets[0].max_rpm' must be a whole number of at least 1", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("reliability.yaml:6:", StringComparison.Ordinal) && m.Contains("unknown failure '404'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("reliability.yaml:7:", StringComparison.Ordinal) && m.Contains("error_rate' must be a fraction", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("unknown failure 'context_lenght'", StringComparison.Ordinal) && m.Contains("did you mean 'context_length'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("fallback 'y' is neither", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("a fallback cannot be the model itself", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("fallback 'nowhere/m' is neither", StringComparison.Ordinal));
    }

    private Task<(HttpResponseMessage Response, JsonElement Json)> ChatAsync(string model) =>
        _host.Client.PostJsonAsync("/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}""");

    private static async Task WriteJsonAsync(HttpContext http, string json)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(json);
    }

    internal static ModelAliasConfig Group(string name, Action<ModelAliasConfig> configure, params string[] providers)
    {
        var group = new ModelAliasConfig
        {
            Name = name,
            Targets = [.. providers.Select(p => new TargetConfig { Provider = p, Model = p == "openai" ? "gpt-4o-mini" : "claude-sonnet-4-5" })],
        };
        configure(group);
        return group;
    }
}
