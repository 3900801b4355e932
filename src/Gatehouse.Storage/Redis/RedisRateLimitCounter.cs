using Gatehouse.Governance.RateLimits;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// GCRA rate limits shared by every replica: one key per counter holding its theoretical arrival time in
/// microseconds of Redis's own clock (<c>TIME</c>), so replica clocks do not matter; the key expires after a period.
/// </summary>
public sealed class RedisRateLimitCounter : IRateLimitCounter
{
    private static readonly RedisScript Acquire = new("""
        -- gh:v1 rate_limit.acquire: KEYS[1] cell; ARGV limit, period_us, cost
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local limit, period, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local interval = period / limit
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        local start = math.max(tat, now)
        local candidate = start + math.ceil(cost * interval)
        local allow_at = candidate - period
        if now < allow_at then
          return {0, math.max(0, math.floor((period - (start - now)) / interval)), start - now, allow_at - now}
        end
        redis.call('SET', KEYS[1], string.format('%d', candidate), 'PX', math.max(1, math.ceil(period / 1000)))
        return {1, math.max(0, math.floor((period - (candidate - now)) / interval)), candidate - now, 0}
        """);

    private static readonly RedisScript Charge = new("""
        -- gh:v1 rate_limit.charge: KEYS[1] cell; ARGV limit, period_us, cost (negative gives back)
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local limit, period, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        local new = math.max(math.max(tat, now) + math.ceil(cost * (period / limit)), now)
        redis.call('SET', KEYS[1], string.format('%d', new), 'PX', math.max(1, math.ceil(math.max(period, new - now) / 1000)))
        return 1
        """);

    private readonly RedisConnection _redis;

    /// <summary>Creates the counter.</summary>
    public RedisRateLimitCounter(RedisConnection redis) => _redis = redis;

    /// <inheritdoc />
    public async ValueTask<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, long cost, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await Acquire.EvaluateAsync(_redis.Database, [_redis.Keys.RateLimit(key)], Arguments(rule, cost)))!;
        return new RateLimitDecision(
            (long)result[0] == 1,
            rule.Limit,
            (long)result[1],
            TimeSpan.FromMicroseconds((long)result[2]),
            TimeSpan.FromMicroseconds((long)result[3]));
    }

    /// <inheritdoc />
    public async ValueTask ChargeAsync(string key, RateLimitRule rule, long cost, CancellationToken cancellationToken) =>
        await Charge.EvaluateAsync(_redis.Database, [_redis.Keys.RateLimit(key)], Arguments(rule, cost));

    private static RedisValue[] Arguments(RateLimitRule rule, long cost) =>
        [rule.Limit, (long)(rule.Period.Ticks / TimeSpan.TicksPerMicrosecond), cost];
}
