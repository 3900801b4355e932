using System.Diagnostics;
using System.Globalization;
using Gatehouse.IntegrationTests.Governance;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Replicas;

/// <summary>
/// Two gateways in this process on different ports, sharing one PostgreSQL schema and one Redis key prefix, behave
/// as one: budgets and rate limits are enforced together and a revocation on one is honoured by the other.
/// </summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    private readonly SharedServices _shared = SharedServices.Create();
    private GatewayTestHost _a = null!;
    private GatewayTestHost _b = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        // Both start together: migrations run once under the advisory lock.
        var a = GatewayTestHost.StartAsync((config, _, _) => _shared.Apply(config));
        var b = GatewayTestHost.StartAsync((config, _, _) => _shared.Apply(config));
        _a = await a;
        _b = await b;
        _admin = await _a.AdminKeyAsync();
        await Eventually.HoldsAsync(async () => (await _b.ChatAsync(_admin)).Status == 200, TimeSpan.FromSeconds(2));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _shared.DisposeAsync();
    }

    [Fact]
    public async Task Five_hundred_concurrent_requests_across_both_replicas_never_exceed_one_shared_budget()
    {
        // What one answer costs; the budget pays for exactly 100 of them.
        var (_, _, probe) = await _a.ChatAsync(_admin, extra: ""","max_tokens":20""");
        var cost = decimal.Parse(probe.Header("x-gatehouse-cost-usd"), CultureInfo.InvariantCulture);
        var limit = cost * 100;
        var (key, id) = await _a.CreateKeyAsync($$"""{"budget_usd":{{limit.ToString(CultureInfo.InvariantCulture)}}}""", _admin);
        await Eventually.HoldsAsync(async () => (await _b.SendAsync(HttpMethod.Get, "/admin/api/budgets", key: _admin)).Json.GetArrayLength() > 0, TimeSpan.FromSeconds(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() => (i % 2 == 0 ? _a : _b).ChatAsync(key, extra: ""","max_tokens":20"""))));
        var served = results.Count(r => r.Status == 200);
        Assert.All(results, r => Assert.True(r.Status is 200 or 402, $"unexpected {r.Status}"));
        // Reservations hold the most a request can cost until it settles, so under this much concurrency fewer than 100
        // may be served; never more.
        Assert.InRange(served, 1, 100);

        // Both replicas read the one shared counter: exact spend, never above the budget (the documented bound is zero
        // while the provider honours max_tokens). Settling runs after the answer is sent, so the last may lag a moment.
        foreach (var replica in new[] { _a, _b })
        {
            await Eventually.HoldsAsync(async () => await SpentAsync(replica, id) == served * cost, TimeSpan.FromSeconds(2), () => $"spent {SpentAsync(replica, id).Result}, served {served} × {cost}");
        }

        Assert.True(await SpentAsync(_a, id) <= limit);
    }

    [Fact]
    public async Task A_rate_limit_is_counted_once_across_replicas()
    {
        var (key, _) = await _a.CreateKeyAsync("""{"rpm":10}""", _admin);
        await Eventually.HoldsAsync(async () => (await _b.ChatAsync(key)).Status == 200, TimeSpan.FromSeconds(1));
        var statuses = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await (i % 2 == 0 ? _a : _b).ChatAsync(key)).Status);
        }

        Assert.Equal(9, statuses.Count(s => s == 200)); // ten a minute, one of them spent by the probe above
        Assert.Equal(21, statuses.Count(s => s == 429));
    }

    [Fact]
    public async Task A_key_revoked_through_one_replica_is_refused_by_the_other_within_a_second()
    {
        var (key, id) = await _a.CreateKeyAsync("{}", _admin);
        await Eventually.HoldsAsync(async () => (await _b.ChatAsync(key)).Status == 200, TimeSpan.FromSeconds(1));
        Assert.Equal(200, (await _a.SendAsync(HttpMethod.Delete, $"/admin/api/keys/{id}", key: _admin)).Status);
        var clock = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () => (await _b.ChatAsync(key)).Status == 401, TimeSpan.FromSeconds(1));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        var (_, json, _) = await _b.ChatAsync(key);
        Assert.Equal("revoked_api_key", json.ErrorCode());
    }

    [Fact]
    public async Task Both_replicas_append_to_one_audit_chain()
    {
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? _a : _b).CreateKeyAsync("{}", _admin)));
        foreach (var replica in new[] { _a, _b })
        {
            var (status, json, _) = await replica.SendAsync(HttpMethod.Get, "/admin/api/audit/verify", key: _admin);
            Assert.Equal(200, status);
            Assert.True(json.GetProperty("intact").GetBoolean(), json.ToString());
        }
    }

    private async Task<decimal> SpentAsync(GatewayTestHost replica, string id)
    {
        var (_, budgets, _) = await replica.SendAsync(HttpMethod.Get, "/admin/api/budgets", key: _admin);
        return budgets.EnumerateArray().Single(b => b.GetProperty("scope").GetString() == $"key:{id}").GetProperty("spent_usd").GetDecimal();
    }
}
