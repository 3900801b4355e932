using Gatehouse.IntegrationTests.Harness;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>Per-identity anomaly detection through the HTTP API: a scripted burst after a quiet baseline.</summary>
public sealed class AnomalyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 30, TimeSpan.Zero));

    [Fact]
    public async Task A_burst_after_a_quiet_baseline_suspends_the_key_and_is_visible_in_the_admin_api()
    {
        await using var host = await StartAsync("suspend");
        var admin = await host.AdminKeyAsync();
        var (key, id) = await host.CreateKeyAsync("{}", admin);
        await QuietBaselineAsync(host, key);

        var statuses = new List<int>();
        for (var i = 0; i < 15; i++)
        {
            statuses.Add((await host.ChatAsync(key)).Status);
        }

        // The tenth request of the minute crosses the floor and the threshold; the key is revoked right after it.
        Assert.Equal(Enumerable.Repeat(200, 10).Concat(Enumerable.Repeat(401, 5)), statuses);
        var (_, anomalies, _) = await host.SendAsync(HttpMethod.Get, "/admin/api/anomalies", key: admin);
        var flagged = anomalies.EnumerateArray().First(a => a.GetProperty("identity").GetString() == $"key:{id}");
        Assert.Equal("requests", flagged.GetProperty("signal").GetString());
        Assert.True(flagged.GetProperty("score").GetDouble() >= 6);

        await host.FlushAuditAsync();
        var (_, audit, _) = await host.SendAsync(HttpMethod.Get, "/admin/api/audit", key: admin);
        Assert.Contains(audit.EnumerateArray(), r => r.GetProperty("action").GetString() == "anomaly.requests" && r.GetProperty("outcome").GetString() == "suspended");
        var (_, metrics) = (await host.Client.GetAsync("/metrics"), await host.Client.GetStringAsync("/metrics"));
        Assert.Contains("gatehouse_anomalies_total{signal=\"requests\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_holds_the_identity_for_a_while_then_lets_it_go()
    {
        await using var host = await StartAsync("throttle");
        var admin = await host.AdminKeyAsync();
        var (key, _) = await host.CreateKeyAsync("{}", admin);
        await QuietBaselineAsync(host, key);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(200, (await host.ChatAsync(key)).Status);
        }

        var (status, json, response) = await host.ChatAsync(key);
        Assert.Equal(429, status);
        Assert.Equal("anomaly_throttled", json.ErrorCode());
        Assert.NotEmpty(response.Header("Retry-After"));
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(200, (await host.ChatAsync(key)).Status);
    }

    private Task<GatewayTestHost> StartAsync(string action) => GatewayTestHost.StartAsync(time: _time, configure: (config, _, _) =>
    {
        config.Governance.Anomaly.Action = action;
        config.Governance.Anomaly.Options = new Gatehouse.Inspection.Anomaly.AnomalyOptions { WarmupBuckets = 3, MinRequests = 10, Threshold = 6 };
    });

    private async Task QuietBaselineAsync(GatewayTestHost host, string key)
    {
        // One request a minute for five minutes: the baseline is about one request a minute.
        for (var minute = 0; minute < 5; minute++)
        {
            Assert.Equal(200, (await host.ChatAsync(key)).Status);
            _time.Advance(TimeSpan.FromMinutes(1));
        }
    }
}
