namespace Gatehouse.Storage.Redis;

/// <summary>
/// The budget scripts, a port of <c>InProcessBudgetCounter</c> in integer nano-USD. Each account is a hash
/// (<c>sn</c>/<c>st</c> spent nano-USD and tokens, <c>rn</c>/<c>rt</c> reserved) plus a sorted set of reservation
/// leases (<c>id:nano:tokens</c> scored by expiry): a lease that outlives its replica is given back by the next script
/// that touches the account.
/// </summary>
internal static class RedisBudgetScripts
{
    private const string Common = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function num(v) return tonumber(v) or 0 end
        local function fmt(v) return string.format('%d', v) end
        local function opt(v) if v == '' then return nil end return tonumber(v) end
        local function clean(acct, leases)
          local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
          for _, m in ipairs(expired) do
            local nano, tok = string.match(m, ':(%-?%d+):(%-?%d+)$')
            redis.call('HINCRBY', acct, 'rn', fmt(-tonumber(nano)))
            redis.call('HINCRBY', acct, 'rt', fmt(-tonumber(tok)))
          end
          if #expired > 0 then redis.call('ZREMRANGEBYSCORE', leases, '-inf', now) end
        end
        local function idiv(a, b)
          local q = math.floor(a / b)
          if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end
          return q
        end
        local function keep(key, ttl) if ttl > 0 then redis.call('EXPIRE', key, ttl) end end

        """;

    /// <summary>
    /// KEYS: per budget its account hash and lease set. ARGV: n, fixed nano, nano per output token, fixed tokens,
    /// max output, min output, lease id, lease ms, then per budget: max nano ('' for none), max tokens ('' for none),
    /// ttl seconds (0 for none). Returns {1, granted, nano, tokens} or {0, index of the refusing budget, nano left}.
    /// </summary>
    public static readonly RedisScript Reserve = new("-- gh:v1 budget.reserve\n" + Common + """
        local n = tonumber(ARGV[1])
        local fixed_nano, per, fixed_tok = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local max_out, min_out = tonumber(ARGV[5]), tonumber(ARGV[6])
        local granted = max_out
        for i = 1, n do
          local acct, leases = KEYS[2 * i - 1], KEYS[2 * i]
          clean(acct, leases)
          local h = redis.call('HMGET', acct, 'sn', 'rn', 'st', 'rt')
          local sn, rn, st, rt = num(h[1]), num(h[2]), num(h[3]), num(h[4])
          local max_nano, max_tok = opt(ARGV[9 + 3 * (i - 1)]), opt(ARGV[10 + 3 * (i - 1)])
          local affordable = max_out
          if max_nano then
            local left = max_nano - sn - rn - fixed_nano
            if left < 0 then affordable = -1 elseif per > 0 then affordable = math.min(affordable, idiv(left, per)) end
          end
          if max_tok and affordable >= 0 then
            local left = max_tok - st - rt - fixed_tok
            if left < 0 then affordable = -1 else affordable = math.min(affordable, left) end
          end
          if affordable < min_out then
            local left = 0
            if max_nano then left = math.max(0, max_nano - sn - rn) end
            return {0, i, left}
          end
          granted = math.min(granted, affordable)
        end
        local nano, tok = fixed_nano + per * granted, fixed_tok + granted
        local member = ARGV[7] .. ':' .. fmt(nano) .. ':' .. fmt(tok)
        for i = 1, n do
          local acct, leases = KEYS[2 * i - 1], KEYS[2 * i]
          local ttl = tonumber(ARGV[11 + 3 * (i - 1)])
          redis.call('HINCRBY', acct, 'rn', fmt(nano))
          redis.call('HINCRBY', acct, 'rt', fmt(tok))
          redis.call('ZADD', leases, now + tonumber(ARGV[8]), member)
          keep(acct, ttl)
          keep(leases, ttl)
        end
        return {1, granted, nano, tok}
        """);

    /// <summary>
    /// KEYS: per budget its account hash and lease set. ARGV: n, lease member, actual nano, actual tokens, then per
    /// budget: max nano, max tokens ('' for none), soft thresholds (comma-joined), ttl seconds. Returns the crossed
    /// thresholds flat: budget index, threshold index, spent nano, spent tokens — four numbers each.
    /// </summary>
    public static readonly RedisScript Settle = new("-- gh:v1 budget.settle\n" + Common + """
        local n, member = tonumber(ARGV[1]), ARGV[2]
        local actual_nano, actual_tok = tonumber(ARGV[3]), tonumber(ARGV[4])
        local nano, tok = string.match(member, ':(%-?%d+):(%-?%d+)$')
        local crossed = {}
        for i = 1, n do
          local acct, leases = KEYS[2 * i - 1], KEYS[2 * i]
          local base = 5 + 4 * (i - 1)
          local max_nano, max_tok = opt(ARGV[base]), opt(ARGV[base + 1])
          local function fraction(sn, st)
            local f = 0
            if max_nano and max_nano > 0 then f = sn / max_nano end
            if max_tok and max_tok > 0 then f = math.max(f, st / max_tok) end
            return f
          end
          local h = redis.call('HMGET', acct, 'sn', 'st')
          local before = fraction(num(h[1]), num(h[2]))
          if redis.call('ZREM', leases, member) == 1 then
            redis.call('HINCRBY', acct, 'rn', fmt(-tonumber(nano)))
            redis.call('HINCRBY', acct, 'rt', fmt(-tonumber(tok)))
          end
          local sn = redis.call('HINCRBY', acct, 'sn', fmt(actual_nano))
          local st = redis.call('HINCRBY', acct, 'st', fmt(actual_tok))
          local after = fraction(sn, st)
          local j = 0
          for th in string.gmatch(ARGV[base + 2], '[^,]+') do
            local threshold = tonumber(th)
            if before < threshold and after >= threshold then
              table.insert(crossed, i) table.insert(crossed, j) table.insert(crossed, sn) table.insert(crossed, st)
            end
            j = j + 1
          end
          keep(acct, tonumber(ARGV[base + 3]))
        end
        return crossed
        """);

    /// <summary>
    /// KEYS: the seeded marker, then account hashes. ARGV: per account spent nano, spent tokens, ttl seconds. Adds the
    /// journaled spend once after Redis lost its data (the marker is gone); returns 1 when it seeded.
    /// </summary>
    public static readonly RedisScript Seed = new("-- gh:v1 budget.seed\n" + Common + """
        if redis.call('SET', KEYS[1], '1', 'NX') == false then return 0 end
        for i = 2, #KEYS do
          local base = 3 * (i - 2)
          redis.call('HINCRBY', KEYS[i], 'sn', ARGV[base + 1])
          redis.call('HINCRBY', KEYS[i], 'st', ARGV[base + 2])
          keep(KEYS[i], tonumber(ARGV[base + 3]))
        end
        return 1
        """);
}
