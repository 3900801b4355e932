using Gatehouse.Governance;
using Gatehouse.Governance.Budgets;
using Gatehouse.Governance.RateLimits;
using Gatehouse.Storage.Counters;
using Gatehouse.Storage.Redis;
using Gatehouse.Storage.Tests.Services;
using Xunit;

namespace Gatehouse.Storage.Tests.Counters;

/// <summary>The counter contract on the machine's Redis (a key prefix of its own per test), plus what only Redis does.</summary>
public sealed class RedisCounterTests : CounterContract
{
    private RedisPrefix _redis = null!;
    private RedisRateLimitCounter _rates = null!;
    private RedisConcurrencyCounter _concurrency = null!;

    protected override IRateLimitCounter Rates => _rates;

    protected override IConcurrencyCounter Concurrency => _concurrency;

    protected override IBudgetCounter Budgets() => new RedisBudgetCounter(_redis.Connection, TimeProvider.System);

    public override async Task InitializeAsync()
    {
        _redis = await RedisPrefix.CreateAsync();
        _rates = new RedisRateLimitCounter(_redis.Connection);
        _concurrency = new RedisConcurrencyCounter(_redis.Connection);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Slots_of_a_replica_that_died_free_themselves_and_live_ones_are_renewed()
    {
        // Leases live on Redis's clock, so this waits for real; the lease is long against scheduling pauses (a
        // renewal may come up to 1.5 s late on a loaded machine) and the dead lease runs out after 2 s.
        var dead = new RedisConcurrencyCounter(_redis.Connection, TimeSpan.FromSeconds(2));
        var live = new RedisConcurrencyCounter(_redis.Connection, TimeSpan.FromSeconds(2));
        Assert.True(await dead.TryEnterAsync("conc|team:x", 2, default));
        Assert.True(await live.TryEnterAsync("conc|team:x", 2, default));
        Assert.False(await live.TryEnterAsync("conc|team:x", 2, default));
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(500);
            await live.RenewAsync();
        }

        Assert.True(await live.TryEnterAsync("conc|team:x", 2, default)); // the dead replica's slot expired
        Assert.False(await live.TryEnterAsync("conc|team:x", 2, default)); // the renewed one did not
    }

    [Fact]
    public async Task A_reservation_that_is_never_settled_is_given_back_when_its_lease_ends()
    {
        var dying = new RedisBudgetCounter(_redis.Connection, TimeProvider.System, reservationLease: TimeSpan.FromSeconds(1));
        var budget = Budget("lease", 1_000);
        Assert.NotNull((await dying.TryReserveAsync([budget], new BudgetAsk(0, 1, 0, 1_000), default)).Reservation);
        Assert.Null((await Budgets().TryReserveAsync([budget], new BudgetAsk(0, 1, 0, 10), default)).Reservation);
        await Task.Delay(1_500);
        Assert.Equal(10, (await Budgets().TryReserveAsync([budget], new BudgetAsk(0, 1, 0, 10), default)).Reservation!.GrantedOutputTokens);
    }

    [Fact]
    public async Task Journaled_spend_seeds_a_flushed_redis_once()
    {
        var journal = new RecordingJournal();
        var counter = new RedisBudgetCounter(_redis.Connection, TimeProvider.System, journal);
        var budget = Budget("seed", 10_000);
        var reservation = (await counter.TryReserveAsync([budget], new BudgetAsk(0, 1, 0, 100), default)).Reservation!;
        await counter.SettleAsync(reservation, 7_000, 5, default);
        Assert.Equal([(reservation.Accounts[0], 7_000L, 5L)], journal.Entries);

        await _redis.DisposeAsync(); // the flush: every key of this prefix is gone
        _redis = await RedisPrefix.CreateAsync(_redis.Prefix);
        counter = new RedisBudgetCounter(_redis.Connection, TimeProvider.System);
        Assert.Equal((0L, 0L), await counter.SpentAsync(budget, default));
        var seed = journal.Entries.Select(e => (e.Item1, e.Item2, e.Item3, 3_600L)).ToList();
        Assert.True(await counter.SeedAsync(seed));
        Assert.False(await counter.SeedAsync(seed)); // another replica finds it seeded
        Assert.Equal((7_000L, 5L), await counter.SpentAsync(budget, default));
    }

    [Fact]
    public async Task When_redis_is_unreachable_closed_refuses_and_open_counts_locally()
    {
        await using var down = await RedisConnection.ConnectAsync("redis://127.0.0.1:1", "down");
        var rule = new RateLimitRule(1, TimeSpan.FromMinutes(1));
        var closed = new CounterHealth(CounterFailureMode.Closed);
        var refusing = new FailoverRateLimitCounter(new RedisRateLimitCounter(down), new InProcessRateLimitCounter(TimeProvider.System), closed);
        await Assert.ThrowsAsync<CountersUnavailableException>(async () => await refusing.TryAcquireAsync("k", rule, 1, default));
        Assert.True(closed.IsDown);
        var budgets = new FailoverBudgetCounter(new RedisBudgetCounter(down, TimeProvider.System), new InProcessBudgetCounter(TimeProvider.System), closed);
        await Assert.ThrowsAsync<CountersUnavailableException>(async () => await budgets.TryReserveAsync([Budget("x", 10)], new BudgetAsk(0, 1, 0, 1), default));

        var open = new CounterHealth(CounterFailureMode.Open);
        var local = new FailoverRateLimitCounter(new RedisRateLimitCounter(down), new InProcessRateLimitCounter(TimeProvider.System), open);
        Assert.True((await local.TryAcquireAsync("k", rule, 1, default)).Allowed);
        Assert.False((await local.TryAcquireAsync("k", rule, 1, default)).Allowed);
        var slots = new FailoverConcurrencyCounter(new RedisConcurrencyCounter(down), new InProcessConcurrencyCounter(), open);
        Assert.True(await slots.TryEnterAsync("c", 1, default));
        Assert.False(await slots.TryEnterAsync("c", 1, default));
        await slots.ExitAsync("c");
        Assert.True(await slots.TryEnterAsync("c", 1, default));
    }

    private sealed class RecordingJournal : IBudgetSpendJournal
    {
        public List<(string, long, long)> Entries { get; } = [];

        public void Record(string account, long nanoUsd, long tokens)
        {
            lock (Entries)
            {
                Entries.Add((account, nanoUsd, tokens));
            }
        }
    }
}
