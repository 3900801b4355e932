using System.Text.Json;
using Gatehouse.IntegrationTests.Harness;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>Ordered failover of virtual models, timeouts on fake time, broken streams and client disconnects.</summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(
        configure: (config, _, _) =>
        {
            foreach (var provider in config.Providers)
            {
                provider.FirstByteTimeout = TimeSpan.FromSeconds(5);
                provider.Timeout = TimeSpan.FromSeconds(60);
            }

            config.Models.Add(new Gatehouse.Server.Config.ModelAliasConfig
            {
                Name = "guarded",
                Targets = [new() { Provider = "openai", Model = "gpt-4o-mini" }, new() { Provider = "claude", Model = "claude-sonnet-4-5" }],
                CircuitBreaker = new Gatehouse.Server.Config.CircuitBreakerConfig { Failures = 2, CoolDown = TimeSpan.FromSeconds(30) },
            });
            config.Models.Add(new Gatehouse.Server.Config.ModelAliasConfig
            {
                Name = "patient",
                Targets = [new() { Provider = "openai", Model = "gpt-4o-mini" }],
                Retry = new Gatehouse.Server.Config.RetryConfig { Attempts = 3, Backoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(10) },
            });
        },
        time: _time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_failing_first_target_is_skipped_for_the_next()
    {
        _host.OpenAi.FailNext(503, """{"error":{"message":"overloaded","type":"server_error"}}""");
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"smart","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
        Assert.Equal("2", response.Header("x-gatehouse-attempts"));
        Assert.Equal("Anthropic says: Hi", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_client_error_from_the_first_target_is_not_retried_elsewhere()
    {
        _host.OpenAi.FailNext(400, """{"error":{"message":"Invalid 'messages[0].content': string too long.","type":"invalid_request_error","code":"string_above_max_length"}}""");
        var (response, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"smart","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Empty(_host.Anthropic.Received);
    }

    [Fact]
    public async Task A_stream_whose_first_event_is_an_error_fails_over_transparently()
    {
        _host.Anthropic.OverloadedStreamNext();
        var (response, events) = await _host.Client.PostSseAsync("/v1/chat/completions",
            """{"model":"sturdy","stream":true,"messages":[{"role":"user","content":"Go"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("openai", response.Header("x-gatehouse-provider"));
        Assert.Equal("2", response.Header("x-gatehouse-attempts"));
        var text = string.Concat(events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement)
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : string.Empty));
        Assert.Equal("OpenAI says: Go", text);
    }

    [Fact]
    public async Task All_targets_failing_returns_the_last_error()
    {
        _host.OpenAi.FailNext(500, """{"error":{"message":"boom","type":"server_error"}}""");
        _host.Anthropic.FailNext(529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""");
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"smart","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("upstream_overloaded", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("2", response.Header("x-gatehouse-attempts"));
    }

    [Fact]
    public async Task A_hung_upstream_costs_its_first_byte_timeout_then_504()
    {
        _host.OpenAi.HangNext();
        var pending = _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""");
        await _host.OpenAi.WaitForRequestsAsync(1);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2));
        var (response, json) = await pending;

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Equal("upstream_timeout", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("first_byte_timeout", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await _host.OpenAi.AbortObserved.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_hung_first_target_fails_over_after_its_timeout()
    {
        _host.OpenAi.HangNext();
        var pending = _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"smart","messages":[{"role":"user","content":"Hi"}]}""");
        await _host.OpenAi.WaitForRequestsAsync(1);
        _time.Advance(TimeSpan.FromSeconds(6));
        var (response, _) = await pending;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
    }

    [Fact]
    public async Task A_stream_cut_mid_way_ends_with_a_clean_error_event()
    {
        _host.OpenAi.Enqueue(async http =>
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Partial\"},\"finish_reason\":null}]}\n\n");
            await http.Response.Body.FlushAsync();

            // Let the first event reach the gateway before the connection is reset (generous for a loaded CI machine).
            await Task.Delay(1000);
            http.Abort();
        });
        var (response, events) = await _host.Client.PostSseAsync("/v1/messages",
            """{"model":"openai/gpt-4o-mini","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains(events, e => e.Event == "content_block_delta" && e.Data.Contains("Partial", StringComparison.Ordinal));
        Assert.Equal("error", events[^1].Event);
        var error = JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("error");
        Assert.Equal("api_error", error.GetProperty("type").GetString());
        Assert.Contains("broke off", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_disconnects_cancels_the_upstream_stream()
    {
        _host.OpenAi.StreamChunkDelay = TimeSpan.FromMilliseconds(300);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"A long answer please"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        // A client that does not drain the rest of the answer when it stops reading (HttpClient would, by default).
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _host.BaseUrl };
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64];
            Assert.True(await body.ReadAsync(buffer) > 0);
        }

        await _host.OpenAi.AbortObserved.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The upstream sees the abort first; the gateway then finishes the request (settle, record) on its own time.
        JsonElement data = default;
        for (var i = 0; i < 100; i++)
        {
            await _host.FlushLogsAsync();
            data = JsonDocument.Parse(await _host.Client.GetStringAsync("/admin/api/requests?limit=1")).RootElement.GetProperty("data").Clone();
            if (data.GetArrayLength() > 0)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Equal(499, data[0].GetProperty("status").GetInt32());
    }
    [Fact]
    public async Task A_retryable_failure_is_retried_on_the_same_target_after_a_jittered_backoff()
    {
        _host.OpenAi.FailNext(503, """{"error":{"message":"overloaded","type":"server_error"}}""");
        _host.OpenAi.FailNext(500, """{"error":{"message":"boom","type":"server_error"}}""");
        var pending = _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"patient","messages":[{"role":"user","content":"Hi"}]}""");
        await _host.OpenAi.WaitForRequestsAsync(1);

        // Full jitter: the first retry waits at most 1 s, the second at most 2 s.
        Assert.True(await AdvanceUntilAsync(_host.OpenAi.WaitForRequestsAsync(2)) <= TimeSpan.FromSeconds(1.1));
        Assert.True(await AdvanceUntilAsync(_host.OpenAi.WaitForRequestsAsync(3)) <= TimeSpan.FromSeconds(2.1));
        var (response, json) = await pending;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("3", response.Header("x-gatehouse-attempts"));
        Assert.Equal("OpenAI says: Hi", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Retry_after_is_honoured_before_the_retry()
    {
        _host.OpenAi.FailNext(429, """{"error":{"message":"slow down","type":"rate_limit_error"}}""", ("retry-after", "3"));
        var pending = _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"patient","messages":[{"role":"user","content":"Hi"}]}""");
        await _host.OpenAi.WaitForRequestsAsync(1);

        Assert.True(await AdvanceUntilAsync(_host.OpenAi.WaitForRequestsAsync(2)) >= TimeSpan.FromSeconds(3));
        var (response, _) = await pending;
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("2", response.Header("x-gatehouse-attempts"));
    }

    [Fact]
    public async Task A_retry_after_longer_than_max_backoff_is_not_waited_for()
    {
        _host.OpenAi.FailNext(429, """{"error":{"message":"slow down","type":"rate_limit_error"}}""", ("retry-after", "60"));
        var (response, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"patient","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("60", response.Header("retry-after"));
        Assert.Equal("1", response.Header("x-gatehouse-attempts"));
        Assert.Single(_host.OpenAi.Received);
    }

    [Fact]
    public async Task A_failing_target_is_skipped_while_its_breaker_is_open_then_probed_once()
    {
        const string body = """{"model":"guarded","messages":[{"role":"user","content":"Hi"}]}""";
        for (var i = 0; i < 2; i++)
        {
            _host.OpenAi.FailNext(500, """{"error":{"message":"boom","type":"server_error"}}""");
            var (failedOver, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
            Assert.Equal("claude", failedOver.Header("x-gatehouse-provider"));
            Assert.Equal("2", failedOver.Header("x-gatehouse-attempts"));
        }

        // Open: openai is not even called.
        var (skipped, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal("claude", skipped.Header("x-gatehouse-provider"));
        Assert.Equal("1", skipped.Header("x-gatehouse-attempts"));
        Assert.Equal(2, _host.OpenAi.Received.Count);

        // After the cool-down one probe goes through; a failed probe opens the breaker again at once.
        _time.Advance(TimeSpan.FromSeconds(31));
        _host.OpenAi.FailNext(500, """{"error":{"message":"still down","type":"server_error"}}""");
        var (probe, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal("claude", probe.Header("x-gatehouse-provider"));
        Assert.Equal(3, _host.OpenAi.Received.Count);
        await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal(3, _host.OpenAi.Received.Count);

        var table = System.Text.Json.JsonDocument.Parse(await _host.Client.GetStringAsync("/admin/api/routing")).RootElement;
        var guarded = table.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "guarded");
        var openai = guarded.GetProperty("targets")[0];
        Assert.Equal("openai", openai.GetProperty("provider").GetString());
        Assert.Equal("open", openai.GetProperty("breaker").GetString());
        Assert.Equal(30, openai.GetProperty("open_for_seconds").GetDouble());
        Assert.Equal(2, openai.GetProperty("breaker_openings").GetInt32());
        Assert.Equal("closed", guarded.GetProperty("targets")[1].GetProperty("breaker").GetString());

        // A successful probe closes it.
        _time.Advance(TimeSpan.FromSeconds(31));
        var (healed, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal("openai", healed.Header("x-gatehouse-provider"));
        var (again, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal("openai", again.Header("x-gatehouse-provider"));
    }

    [Fact]
    public async Task A_rate_limited_target_cools_down_for_its_retry_after()
    {
        const string body = """{"model":"guarded","messages":[{"role":"user","content":"Hi"}]}""";
        _host.OpenAi.FailNext(429, """{"error":{"message":"slow down","type":"rate_limit_error"}}""", ("retry-after", "10"));
        var (first, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal("claude", first.Header("x-gatehouse-provider"));

        var (cooling, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal("claude", cooling.Header("x-gatehouse-provider"));
        Assert.Single(_host.OpenAi.Received);

        _time.Advance(TimeSpan.FromSeconds(11));
        var (back, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal("openai", back.Header("x-gatehouse-provider"));
    }

    [Fact]
    public async Task When_every_breaker_is_open_the_answer_is_503_with_retry_after()
    {
        const string body = """{"model":"guarded","messages":[{"role":"user","content":"Hi"}]}""";
        _host.OpenAi.FailNext(429, """{"error":{"message":"slow down"}}""", ("retry-after", "20"));
        _host.Anthropic.FailNext(429, """{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}""", ("retry-after", "8"));
        await _host.Client.PostJsonAsync("/v1/chat/completions", body);

        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("circuit_open", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("8", response.Header("retry-after"));
    }

    /// <summary>Advances fake time in 100 ms steps until <paramref name="condition"/> completes; returns the time advanced.</summary>
    private async Task<TimeSpan> AdvanceUntilAsync(Task condition)
    {
        var advanced = TimeSpan.Zero;
        while (!condition.IsCompleted && advanced < TimeSpan.FromSeconds(30))
        {
            // Give the gateway a moment of real time to reach its timer before fake time moves on.
            await Task.WhenAny(condition, Task.Delay(10));
            if (condition.IsCompleted)
            {
                break;
            }

            _time.Advance(TimeSpan.FromMilliseconds(100));
            advanced += TimeSpan.FromMilliseconds(100);
        }

        await condition;
        return advanced;
    }
}
