using Gatehouse.Server.Config;
using Gatehouse.Storage.Counters;
using Xunit;

namespace Gatehouse.IntegrationTests.Config;

/// <summary>storage.url and the redis section: parsed, and every mistake reported at its line and column without the password.</summary>
public sealed class StateConfigTests
{
    [Fact]
    public void Postgres_storage_and_redis_counters_load()
    {
        var config = new ConfigLoader().Load("""
            storage:
              url: postgresql://gh:pw@db:5432/gate?schema=tenant_a
            redis:
              url: rediss://:pw@cache:6380/2
              failure_mode: open
              key_prefix: prod-eu
            """, "gatehouse.yaml");
        Assert.Equal("postgresql://gh:pw@db:5432/gate?schema=tenant_a", config.Storage.Url);
        Assert.Equal(CounterFailureMode.Open, config.Redis!.FailureMode);
        Assert.Equal("prod-eu", config.Redis.KeyPrefix);
        Assert.Equal(CounterFailureMode.Closed, new ConfigLoader().Load("redis: { url: 'redis://h:1' }", "g.yaml").Redis!.FailureMode);
    }

    [Fact]
    public void Bad_urls_and_modes_are_reported_where_they_stand_without_the_password()
    {
        var ex = Assert.Throws<ConfigException>(() => new ConfigLoader().Load("""
            storage:
              url: postgres://gh:hunter2@db/gate?schema=Not-Valid
            redis:
              url: http://:hunter2@cache:6379
              failure_mode: sometimes
              key_prefix: "{x}"
            """, "gatehouse.yaml"));
        var text = string.Join('\n', ex.Errors.Select(e => e.ToString()));
        Assert.Contains("gatehouse.yaml:2:8: 'storage.url' \"postgres://gh:***@db/gate?schema=Not-Valid\": schema", text, StringComparison.Ordinal);
        Assert.Contains("gatehouse.yaml:4:8: 'redis.url'", text, StringComparison.Ordinal);
        Assert.Contains("gatehouse.yaml:5:17: 'redis.failure_mode' must be closed", text, StringComparison.Ordinal);
        Assert.Contains("gatehouse.yaml:6:15: 'redis.key_prefix'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }
}
