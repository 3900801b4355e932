using System.Globalization;
using Gatehouse.Governance.Budgets;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// Budget counters shared by every replica: one Lua script reserves on all budgets of a request at once (or on
/// none), with the output-token clamping of <see cref="InProcessBudgetCounter"/>; settle replaces the reservation
/// with actual usage and reports soft thresholds crossed. Settled spend is also journaled to the SQL store, from
/// which a flushed Redis is seeded again (<see cref="SeedAsync"/>). Window accounts are named by the replica's clock
/// (the same names as in process) and expire a day after their window ends.
/// </summary>
public sealed class RedisBudgetCounter : IBudgetCounter
{
    /// <summary>How long a reservation outlives a replica that died before settling it, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultReservationLease = TimeSpan.FromMinutes(15);

    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly IBudgetSpendJournal? _journal;

    /// <summary>Creates the counter.</summary>
    public RedisBudgetCounter(RedisConnection redis, TimeProvider time, IBudgetSpendJournal? journal = null, TimeSpan? reservationLease = null)
    {
        _redis = redis;
        _time = time;
        _journal = journal;
        ReservationLease = reservationLease ?? DefaultReservationLease;
    }

    /// <summary>How long a reservation outlives a replica that died before settling it (longer than any request).</summary>
    public TimeSpan ReservationLease { get; }

    /// <summary>Seconds an account of <paramref name="budget"/>'s current window should live (0 for ever).</summary>
    public static long TimeToLive(BudgetLimit budget, DateTimeOffset now) =>
        BudgetWindow.NextStart(budget.Period, now) is { } end ? (long)Math.Ceiling((end - now).TotalSeconds) + 86_400 : 0;

    /// <inheritdoc />
    public async ValueTask<BudgetOutcome> TryReserveAsync(IReadOnlyList<BudgetLimit> budgets, BudgetAsk ask, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var accounts = new string[budgets.Count];
        var keys = new RedisKey[budgets.Count * 2];
        var values = new RedisValue[8 + (budgets.Count * 3)];
        var lease = Guid.NewGuid().ToString("N");
        values[0] = budgets.Count;
        values[1] = ask.FixedNanoUsd;
        values[2] = ask.NanoUsdPerOutputToken;
        values[3] = ask.FixedTokens;
        values[4] = ask.MaxOutputTokens;
        values[5] = ask.MinOutputTokens;
        values[6] = lease;
        values[7] = (long)ReservationLease.TotalMilliseconds;
        for (var i = 0; i < budgets.Count; i++)
        {
            accounts[i] = InProcessBudgetCounter.AccountOf(budgets[i], now);
            keys[2 * i] = _redis.Keys.BudgetAccount(accounts[i]);
            keys[(2 * i) + 1] = _redis.Keys.BudgetLeases(accounts[i]);
            values[8 + (3 * i)] = Optional(budgets[i].MaxNanoUsd);
            values[9 + (3 * i)] = Optional(budgets[i].MaxTokens);
            values[10 + (3 * i)] = TimeToLive(budgets[i], now);
        }

        var result = (RedisResult[])(await RedisBudgetScripts.Reserve.EvaluateAsync(_redis.Database, keys, values))!;
        if ((long)result[0] == 0)
        {
            var refused = budgets[(int)(long)result[1] - 1];
            return new BudgetOutcome(null, refused, (long)result[2], BudgetWindow.NextStart(refused.Period, now));
        }

        var (granted, nano, tokens) = ((long)result[1], (long)result[2], (long)result[3]);
        var member = string.Create(CultureInfo.InvariantCulture, $"{lease}:{nano}:{tokens}");
        return new BudgetOutcome(new BudgetReservation(budgets, accounts, nano, tokens, granted) { Lease = member }, null, 0, null);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BudgetAlert>> SettleAsync(BudgetReservation reservation, long actualNanoUsd, long actualTokens, CancellationToken cancellationToken)
    {
        if (!reservation.TryMarkSettled())
        {
            return [];
        }

        var count = reservation.Accounts.Count;
        var now = _time.GetUtcNow();
        var keys = new RedisKey[count * 2];
        var values = new RedisValue[4 + (count * 4)];
        values[0] = count;
        values[1] = reservation.Lease ?? string.Empty;
        values[2] = actualNanoUsd;
        values[3] = actualTokens;
        for (var i = 0; i < count; i++)
        {
            var budget = reservation.Budgets[i];
            keys[2 * i] = _redis.Keys.BudgetAccount(reservation.Accounts[i]);
            keys[(2 * i) + 1] = _redis.Keys.BudgetLeases(reservation.Accounts[i]);
            values[4 + (4 * i)] = Optional(budget.MaxNanoUsd);
            values[5 + (4 * i)] = Optional(budget.MaxTokens);
            values[6 + (4 * i)] = string.Join(',', budget.SoftThresholds.Select(t => t.ToString("R", CultureInfo.InvariantCulture)));
            values[7 + (4 * i)] = TimeToLive(budget, now);
        }

        // Journal first: the SQL copy is what a flushed Redis is rebuilt from.
        if (_journal is not null && (actualNanoUsd != 0 || actualTokens != 0))
        {
            foreach (var account in reservation.Accounts)
            {
                _journal.Record(account, actualNanoUsd, actualTokens);
            }
        }

        var crossed = (RedisResult[])(await RedisBudgetScripts.Settle.EvaluateAsync(_redis.Database, keys, values))!;
        if (crossed.Length == 0)
        {
            return [];
        }

        var alerts = new List<BudgetAlert>(crossed.Length / 4);
        for (var i = 0; i + 3 < crossed.Length; i += 4)
        {
            var budget = reservation.Budgets[(int)(long)crossed[i] - 1];
            alerts.Add(new BudgetAlert(budget, budget.SoftThresholds[(int)(long)crossed[i + 1]], (long)crossed[i + 2], (long)crossed[i + 3]));
        }

        return alerts;
    }

    /// <inheritdoc />
    public async ValueTask<(long NanoUsd, long Tokens)> SpentAsync(BudgetLimit budget, CancellationToken cancellationToken)
    {
        var values = await _redis.Database.HashGetAsync(_redis.Keys.BudgetAccount(InProcessBudgetCounter.AccountOf(budget, _time.GetUtcNow())), ["sn", "st"]);
        return ((long?)values[0] ?? 0, (long?)values[1] ?? 0);
    }

    /// <summary>
    /// Adds journaled spend (current-window accounts with their budgets) unless Redis was seeded already since it last
    /// lost its data; returns whether this call seeded. Safe to run from every replica at once.
    /// </summary>
    public async Task<bool> SeedAsync(IReadOnlyList<(string Account, long NanoUsd, long Tokens, long TimeToLive)> spend)
    {
        var keys = new RedisKey[spend.Count + 1];
        var values = new RedisValue[spend.Count * 3];
        keys[0] = _redis.Keys.BudgetSeeded;
        for (var i = 0; i < spend.Count; i++)
        {
            keys[i + 1] = _redis.Keys.BudgetAccount(spend[i].Account);
            values[3 * i] = spend[i].NanoUsd;
            values[(3 * i) + 1] = spend[i].Tokens;
            values[(3 * i) + 2] = spend[i].TimeToLive;
        }

        return (long)(await RedisBudgetScripts.Seed.EvaluateAsync(_redis.Database, keys, values)) == 1;
    }

    private static RedisValue Optional(long? value) => value is { } v ? v : RedisValue.EmptyString;
}
