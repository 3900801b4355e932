using Gatehouse.Server.Config;
using Gatehouse.Storage.Counters;
using Npgsql;
using StackExchange.Redis;

namespace Gatehouse.IntegrationTests.Harness;

/// <summary>
/// The machine's PostgreSQL and Redis for replica tests (scripts/services.sh starts them): a schema and a key
/// prefix of their own, removed afterwards. Tests fail, never skip, when the services do not answer.
/// </summary>
public sealed class SharedServices : IAsyncDisposable
{
    private SharedServices(string name)
    {
        Name = name;
    }

    public static string PostgresUrl =>
        Environment.GetEnvironmentVariable("GATEHOUSE_TEST_POSTGRES") is { Length: > 0 } url ? url : "postgres://gatehouse:gatehouse@127.0.0.1:5432/gatehouse_test";

    public static string RedisEndpoint =>
        Environment.GetEnvironmentVariable("GATEHOUSE_TEST_REDIS") is { Length: > 0 } redis ? redis : "127.0.0.1:6379";

    /// <summary>The schema name and the Redis key prefix.</summary>
    public string Name { get; }

    public string StorageUrl => PostgresUrl + (PostgresUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + Name;

    public static SharedServices Create() => new("r_" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>Points a gateway config at the shared schema and Redis.</summary>
    public void Apply(GatewayConfig config, string? redisEndpoint = null, CounterFailureMode mode = CounterFailureMode.Closed)
    {
        config.Storage.Url = StorageUrl;
        config.Redis = new RedisConfig { Url = "redis://" + (redisEndpoint ?? RedisEndpoint), KeyPrefix = Name, FailureMode = mode };
    }

    public async ValueTask DisposeAsync()
    {
        var builder = Storage.Postgres.PostgresUrl.TryParse(PostgresUrl, out _, out var error) ?? throw new InvalidOperationException(error);
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisEndpoint);
        foreach (var endpoint in redis.GetEndPoints())
        {
            await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: Name + ":*"))
            {
                await redis.GetDatabase().KeyDeleteAsync(key);
            }
        }
    }
}
