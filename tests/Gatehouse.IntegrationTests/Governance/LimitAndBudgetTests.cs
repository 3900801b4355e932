using Gatehouse.IntegrationTests.Harness;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>Rate limits and budgets through the HTTP API, on fake time.</summary>
public sealed class LimitAndBudgetTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private GatewayTestHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync(time: _time);
        _admin = await _host.AdminKeyAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Requests_per_minute_answer_429_with_retry_after_and_ratelimit_headers_then_recover()
    {
        var (key, _) = await _host.CreateKeyAsync("""{"rpm":2}""", _admin);
        var (first, _, firstResponse) = await _host.ChatAsync(key);
        Assert.Equal(200, first);
        Assert.Equal("2", firstResponse.Header("x-ratelimit-limit-requests"));
        Assert.Equal("1", firstResponse.Header("x-ratelimit-remaining-requests"));
        Assert.Equal(200, (await _host.ChatAsync(key)).Status);

        var (third, json, response) = await _host.ChatAsync(key);
        Assert.Equal(429, third);
        Assert.Equal("rate_limit_requests", json.ErrorCode());
        Assert.Equal("30", response.Header("Retry-After"));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(200, (await _host.ChatAsync(key)).Status);
    }

    [Fact]
    public async Task A_team_limit_applies_to_every_key_of_the_team_together()
    {
        await _host.SendAsync(HttpMethod.Post, "/admin/api/teams", """{"id":"research"}""", _admin);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/limits", """{"scope":"team:research","rpm":3}""", _admin)).Status);
        var (a, _) = await _host.CreateKeyAsync("""{"team_id":"research"}""", _admin);
        var (b, _) = await _host.CreateKeyAsync("""{"team_id":"research"}""", _admin);
        Assert.Equal(200, (await _host.ChatAsync(a)).Status);
        Assert.Equal(200, (await _host.ChatAsync(b)).Status);
        Assert.Equal(200, (await _host.ChatAsync(a)).Status);
        var (status, json, _) = await _host.ChatAsync(b);
        Assert.Equal(429, status);
        Assert.Contains("team:research", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_per_minute_count_the_tokens_actually_used()
    {
        // Admission takes the prompt estimate (17 tokens here); settle replaces it with the reported usage (about 14).
        // 40 tokens a minute: two requests use about 28, and a third would need 17 more.
        var (key, _) = await _host.CreateKeyAsync("""{"tpm":40}""", _admin);
        Assert.Equal(200, (await _host.ChatAsync(key)).Status);
        Assert.Equal(200, (await _host.ChatAsync(key)).Status);
        var (status, json, response) = await _host.ChatAsync(key);
        Assert.Equal(429, status);
        Assert.Equal("rate_limit_tokens", json.ErrorCode());
        Assert.NotEmpty(response.Header("Retry-After"));
    }

    [Fact]
    public async Task A_budget_clamps_max_tokens_to_what_it_can_pay_for_and_then_refuses_with_402()
    {
        // gpt-4o-mini: $0.15 / $0.60 per million tokens. $0.0003 pays the prompt estimate plus about 495 output tokens.
        var (key, id) = await _host.CreateKeyAsync("""{"budget_usd":0.0003}""", _admin);
        var (status, _, _) = await _host.ChatAsync(key, model: "openai/gpt-4o-mini", extra: ""","max_tokens":100000""");
        Assert.Equal(200, status);
        var sent = _host.OpenAi.LastBody();
        var clamped = sent.TryGetProperty("max_completion_tokens", out var mct) ? mct.GetInt32() : sent.GetProperty("max_tokens").GetInt32();
        Assert.InRange(clamped, 400, 500);

        var (_, budgets, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/budgets", key: _admin);
        var budget = budgets.EnumerateArray().Single(b => b.GetProperty("scope").GetString() == $"key:{id}");
        Assert.True(budget.GetProperty("spent_usd").GetDecimal() > 0);

        // Spend the rest, then the budget refuses.
        var refused = 0;
        for (var i = 0; i < 200 && refused == 0; i++)
        {
            var (s, json, _) = await _host.ChatAsync(key, model: "openai/gpt-4o-mini");
            if (s == 402)
            {
                refused++;
                Assert.Equal("budget_exceeded", json.ErrorCode());
                Assert.Equal("insufficient_quota", json.GetProperty("error").GetProperty("type").GetString());
            }
        }

        Assert.Equal(1, refused);
        (_, budgets, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/budgets", key: _admin);
        budget = budgets.EnumerateArray().Single(b => b.GetProperty("scope").GetString() == $"key:{id}");
        Assert.True(budget.GetProperty("spent_usd").GetDecimal() <= 0.0003m);
    }

    [Fact]
    public async Task A_stream_that_runs_past_what_its_budget_reserved_is_cut_with_an_error_event()
    {
        // The fake OpenAI echoes the prompt and ignores max_tokens; the budget reserves about 29 output tokens.
        var (key, _) = await _host.CreateKeyAsync("""{"budget_usd":0.00006}""", _admin);
        var prompt = string.Concat(Enumerable.Repeat("a long prompt that the fake echoes back ", 20));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"{{prompt}}"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", key);
        var response = await _host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("budget_exceeded", body, StringComparison.Ordinal);
        var echoed = body.Split("fake echoes back").Length - 1;
        Assert.InRange(echoed, 0, 10); // the rest of the 20 repetitions was never relayed
        Assert.True(_host.OpenAi.LastBody().GetProperty("max_completion_tokens").GetInt32() < 40);
    }

    [Fact]
    public async Task Concurrent_requests_never_spend_more_than_the_budget()
    {
        // What one answer costs, asked with the unlimited admin key; the budget pays for exactly ten.
        var (_, _, probe) = await _host.ChatAsync(_admin, extra: ""","max_tokens":20""");
        var cost = decimal.Parse(probe.Header("x-gatehouse-cost-usd"), System.Globalization.CultureInfo.InvariantCulture);
        var (key, id) = await _host.CreateKeyAsync($$"""{"budget_usd":{{(cost * 10).ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""", _admin);
        var tasks = Enumerable.Range(0, 60).Select(_ => _host.ChatAsync(key, extra: ""","max_tokens":20""")).ToList();
        var results = await Task.WhenAll(tasks);
        var served = results.Count(r => r.Status == 200);
        Assert.All(results, r => Assert.True(r.Status is 200 or 402, $"unexpected {r.Status}"));
        Assert.InRange(served, 1, 10);

        var (_, budgets, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/budgets", key: _admin);
        var budget = budgets.EnumerateArray().Single(b => b.GetProperty("scope").GetString() == $"key:{id}");
        Assert.Equal(served * cost, budget.GetProperty("spent_usd").GetDecimal());
    }

    [Fact]
    public async Task Budgets_reset_on_schedule()
    {
        var (key, _) = await _host.CreateKeyAsync("""{"budget_usd":0.00005,"budget_period":"hourly"}""", _admin);
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await _host.ChatAsync(key, extra: ""","max_tokens":5""")).Status);
        }

        Assert.Contains(402, statuses);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(200, (await _host.ChatAsync(key, extra: ""","max_tokens":5""")).Status);
    }

    [Fact]
    public async Task Bad_limit_and_budget_bodies_get_400_with_the_field()
    {
        var cases = new (string Path, string Body, string Param)[]
        {
            ("/admin/api/limits", """{"scope":"team:nope","rpm":1}""", "scope"),
            ("/admin/api/limits", """{"scope":"key","rpm":1}""", "scope"),
            ("/admin/api/limits", """{"scope":"model:x","rpm":0}""", "rpm"),
            ("/admin/api/budgets", """{"scope":"model:x","max_usd":1}""", "scope"),
            ("/admin/api/budgets", """{"scope":"org:none","max_usd":1}""", "scope"),
        };
        foreach (var (path, body, param) in cases)
        {
            var (status, json, _) = await _host.SendAsync(HttpMethod.Put, path, body, _admin);
            Assert.Equal(400, status);
            Assert.Equal(param, json.GetProperty("error").GetProperty("param").GetString());
        }

        var (unknown, unknownJson, _) = await _host.SendAsync(HttpMethod.Put, "/admin/api/budgets", """{"scope":"key:x","max_dollars":1}""", _admin);
        Assert.Equal(400, unknown);
        Assert.Contains("max_dollars", unknownJson.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var (broken, _, _) = await _host.SendAsync(HttpMethod.Put, "/admin/api/budgets", "{", _admin);
        Assert.Equal(400, broken);
    }
}
