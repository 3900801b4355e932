using Gatehouse.Storage.Redis;

namespace Gatehouse.Storage.Tests.Services;

/// <summary>A connection to the machine's Redis under a key prefix of its own; its keys are deleted afterwards.</summary>
public sealed class RedisPrefix : IAsyncDisposable
{
    private RedisPrefix(RedisConnection connection, string prefix)
    {
        Connection = connection;
        Prefix = prefix;
    }

    public RedisConnection Connection { get; }

    public string Prefix { get; }

    public static async Task<RedisPrefix> CreateAsync(string? prefix = null)
    {
        prefix ??= TestServices.UniqueName("test");
        var connection = await RedisConnection.ConnectAsync("redis://" + TestServices.Redis, prefix);
        // Fail, never skip, when Redis is not there.
        await connection.Database.PingAsync();
        return new RedisPrefix(connection, prefix);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var endpoint in Connection.Multiplexer.GetEndPoints())
        {
            var server = Connection.Multiplexer.GetServer(endpoint);
            await foreach (var key in server.KeysAsync(pattern: Prefix + ":*"))
            {
                await Connection.Database.KeyDeleteAsync(key);
            }
        }

        await Connection.DisposeAsync();
    }
}
