using Gatehouse.IntegrationTests.Governance;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Storage.Counters;
using Xunit;

namespace Gatehouse.IntegrationTests.Replicas;

/// <summary>
/// What a gateway does while its Redis is gone — 503 governance_unavailable when failing closed, per-replica counting
/// when failing open — and that it goes back to the shared counters by itself when Redis returns.
/// </summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task Failing_closed_answers_503_while_redis_is_down_and_recovers_by_itself()
    {
        await using var redis = await OwnRedisServer.StartAsync();
        await using var shared = SharedServices.Create();
        await using var host = await GatewayTestHost.StartAsync((config, _, _) => shared.Apply(config, redis.Endpoint, CounterFailureMode.Closed));
        var admin = await host.AdminKeyAsync();
        var (key, _) = await host.CreateKeyAsync("""{"rpm":1000}""", admin);
        Assert.Equal(200, (await host.ChatAsync(key)).Status);

        await redis.KillAsync();
        var (status, json, response) = await host.ChatAsync(key);
        Assert.Equal(503, status);
        Assert.Equal("governance_unavailable", json.ErrorCode());
        Assert.NotEmpty(response.Header("Retry-After"));
        Assert.Equal(200, (await host.ChatAsync(admin)).Status); // a key without limits or budgets needs no counters

        await redis.RestartAsync();
        await Eventually.HoldsAsync(async () => (await host.ChatAsync(key)).Status == 200, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Failing_open_counts_in_the_replica_while_redis_is_down()
    {
        await using var redis = await OwnRedisServer.StartAsync();
        await using var shared = SharedServices.Create();
        await using var host = await GatewayTestHost.StartAsync((config, _, _) => shared.Apply(config, redis.Endpoint, CounterFailureMode.Open));
        var admin = await host.AdminKeyAsync();
        var (key, _) = await host.CreateKeyAsync("""{"rpm":3}""", admin);
        await redis.KillAsync();
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await host.ChatAsync(key)).Status);
        }

        Assert.Equal([200, 200, 200, 429, 429], statuses);
        await redis.RestartAsync();
        await Eventually.HoldsAsync(async () => (await host.ChatAsync(key)).Status == 200 && !host.CountersDown(), TimeSpan.FromSeconds(15));
    }
}
