using System.Collections.Concurrent;
using Gatehouse.Governance.RateLimits;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// Concurrent-request slots shared by every replica: a sorted set of lease ids per counter, scored by expiry on
/// Redis's clock. Expired leases are dropped by the script before counting, so the slots of a replica that died free
/// themselves after <see cref="LeaseTime"/>; a live replica renews its leases (<see cref="RenewAsync"/>).
/// </summary>
public sealed class RedisConcurrencyCounter : IConcurrencyCounter
{
    /// <summary>How long a slot outlives the last renewal of the replica that holds it, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultLeaseTime = TimeSpan.FromSeconds(30);

    private static readonly RedisScript Enter = new("""
        -- gh:v1 concurrency.enter: KEYS[1] lease set; ARGV max, lease id, lease ms
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
        return 1
        """);

    private static readonly RedisScript Renew = new("""
        -- gh:v1 concurrency.renew: KEYS[1] lease set; ARGV lease ms, lease ids...
        local t = redis.call('TIME')
        local until_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
        for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', until_ms, ARGV[i]) end
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
        return 1
        """);

    private readonly ConcurrentDictionary<string, ConcurrentStack<string>> _held = new(StringComparer.Ordinal);
    private readonly RedisConnection _redis;

    /// <summary>Creates the counter.</summary>
    public RedisConcurrencyCounter(RedisConnection redis, TimeSpan? leaseTime = null)
    {
        _redis = redis;
        LeaseTime = leaseTime ?? DefaultLeaseTime;
    }

    /// <summary>How long a slot outlives the last renewal of the replica that holds it.</summary>
    public TimeSpan LeaseTime { get; }

    /// <inheritdoc />
    public async ValueTask<bool> TryEnterAsync(string key, long max, CancellationToken cancellationToken)
    {
        var lease = Guid.NewGuid().ToString("N");
        var entered = (long)(await Enter.EvaluateAsync(_redis.Database, [_redis.Keys.Concurrency(key)], [max, lease, (long)LeaseTime.TotalMilliseconds])) == 1;
        if (entered)
        {
            _held.GetOrAdd(key, static _ => new ConcurrentStack<string>()).Push(lease);
        }

        return entered;
    }

    /// <inheritdoc />
    public async ValueTask ExitAsync(string key)
    {
        // The leases of one counter on this replica are interchangeable: give back any one of them.
        if (_held.TryGetValue(key, out var leases) && leases.TryPop(out var lease))
        {
            await _redis.Database.SortedSetRemoveAsync(_redis.Keys.Concurrency(key), lease);
        }
    }

    /// <summary>Extends every lease this replica holds (call well within <see cref="LeaseTime"/>).</summary>
    public async Task RenewAsync()
    {
        foreach (var (key, leases) in _held)
        {
            var ids = leases.ToArray();
            if (ids.Length == 0)
            {
                continue;
            }

            var values = new RedisValue[ids.Length + 1];
            values[0] = (long)LeaseTime.TotalMilliseconds;
            for (var i = 0; i < ids.Length; i++)
            {
                values[i + 1] = ids[i];
            }

            await Renew.EvaluateAsync(_redis.Database, [_redis.Keys.Concurrency(key)], values);
        }
    }
}
