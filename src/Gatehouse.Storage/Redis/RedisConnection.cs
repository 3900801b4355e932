using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// The gateway's one multiplexed connection to Redis and its key layout. It connects in the background and
/// reconnects by itself (with back-off) after an outage; commands fail fast while it is down.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable, IDisposable
{
    private RedisConnection(IConnectionMultiplexer multiplexer, RedisKeys keys, string description)
    {
        Multiplexer = multiplexer;
        Keys = keys;
        Description = description;
    }

    /// <summary>The client.</summary>
    public IConnectionMultiplexer Multiplexer { get; }

    /// <summary>The key names.</summary>
    public RedisKeys Keys { get; }

    /// <summary>A description safe to log (host and port, never the password).</summary>
    public string Description { get; }

    /// <summary>The database commands go to.</summary>
    public IDatabase Database => Multiplexer.GetDatabase();

    /// <summary>Connects (without failing when Redis is down: the client keeps trying).</summary>
    public static async Task<RedisConnection> ConnectAsync(string url, string keyPrefix)
    {
        var options = RedisUrl.TryParse(url, out var error) ?? throw new ArgumentException($"redis.url: {error}.", nameof(url));
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
        return new RedisConnection(multiplexer, new RedisKeys(keyPrefix), string.Join(",", options.EndPoints));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Multiplexer.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => Multiplexer.Dispose();
}
