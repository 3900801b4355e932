using Gatehouse.Governance.Budgets;
using Gatehouse.Governance.RateLimits;
using Xunit;

namespace Gatehouse.Storage.Tests.Counters;

/// <summary>
/// The behaviour every counter backend must show, written once: in process and in Redis each run it (see the
/// subclasses). The cases need no fake clock: they never wait for a window to pass.
/// </summary>
public abstract class CounterContract : IAsyncLifetime
{
    protected abstract IRateLimitCounter Rates { get; }

    protected abstract IConcurrencyCounter Concurrency { get; }

    /// <summary>A budget counter (each call another replica's view of the same counters, where there are replicas).</summary>
    protected abstract IBudgetCounter Budgets();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static BudgetLimit Budget(string id, long nanoUsd, BudgetPeriod period = BudgetPeriod.Monthly, params double[] soft) =>
        new() { Id = id, Scope = "key:" + id, Period = period, MaxNanoUsd = nanoUsd, SoftThresholds = soft };

    [Fact]
    public async Task Gcra_allows_the_burst_then_refuses_with_a_retry_time_and_takes_back_charges()
    {
        var rule = new RateLimitRule(5, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 5; i++)
        {
            var allowed = await Rates.TryAcquireAsync("rpm|key:a", rule, 1, default);
            Assert.True(allowed.Allowed);
            Assert.Equal(4 - i, allowed.Remaining);
        }

        var refused = await Rates.TryAcquireAsync("rpm|key:a", rule, 1, default);
        Assert.False(refused.Allowed);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12));
        Assert.True((await Rates.TryAcquireAsync("rpm|key:b", rule, 1, default)).Allowed);

        await Rates.ChargeAsync("rpm|key:a", rule, -1, default);
        Assert.True((await Rates.TryAcquireAsync("rpm|key:a", rule, 1, default)).Allowed);
        await Rates.ChargeAsync("rpm|key:a", rule, 100, default);
        Assert.False((await Rates.TryAcquireAsync("rpm|key:a", rule, 1, default)).Allowed);
    }

    [Fact]
    public async Task Concurrency_slots_are_limited_and_given_back()
    {
        Assert.True(await Concurrency.TryEnterAsync("conc|key:a", 2, default));
        Assert.True(await Concurrency.TryEnterAsync("conc|key:a", 2, default));
        Assert.False(await Concurrency.TryEnterAsync("conc|key:a", 2, default));
        await Concurrency.ExitAsync("conc|key:a");
        Assert.True(await Concurrency.TryEnterAsync("conc|key:a", 2, default));
    }

    [Fact]
    public async Task A_reservation_clamps_output_to_what_every_budget_can_pay_for()
    {
        var counter = Budgets();
        var ask = new BudgetAsk(FixedNanoUsd: 1_000, NanoUsdPerOutputToken: 10, FixedTokens: 100, MaxOutputTokens: 10_000);
        var outcome = await counter.TryReserveAsync([Budget("wide", 1_000_000), Budget("narrow", 6_000)], ask, default);
        Assert.Equal(500, outcome.Reservation!.GrantedOutputTokens);
        Assert.Equal(6_000, outcome.Reservation.NanoUsd);
        Assert.Equal(600, outcome.Reservation.Tokens);

        var refused = await counter.TryReserveAsync([Budget("wide", 1_000_000), Budget("narrow", 6_000)], ask, default);
        Assert.Null(refused.Reservation);
        Assert.Equal("narrow", refused.Exhausted!.Id);
        Assert.Equal(0, refused.RemainingNanoUsd);

        await counter.SettleAsync(outcome.Reservation, 2_000, 150, default);
        Assert.Equal((2_000L, 150L), await counter.SpentAsync(Budget("narrow", 6_000), default));
        Assert.Equal((2_000L, 150L), await Budgets().SpentAsync(Budget("wide", 1_000_000), default));
        var next = await counter.TryReserveAsync([Budget("narrow", 6_000)], ask, default);
        Assert.Equal(300, next.Reservation!.GrantedOutputTokens);
    }

    [Fact]
    public async Task Token_budgets_clamp_and_refuse_below_the_minimum()
    {
        var counter = Budgets();
        var budget = new BudgetLimit { Id = "tok", Scope = "key:t", MaxTokens = 1_000 };
        var first = await counter.TryReserveAsync([budget], new BudgetAsk(0, 0, 400, 2_000), default);
        Assert.Equal(600, first.Reservation!.GrantedOutputTokens);
        var refused = await counter.TryReserveAsync([budget], new BudgetAsk(0, 0, 1, 10, MinOutputTokens: 1), default);
        Assert.Null(refused.Reservation);
    }

    [Fact]
    public async Task Under_concurrency_from_two_counters_spend_never_exceeds_the_limit()
    {
        var counters = new[] { Budgets(), Budgets() };
        var budget = Budget("b", 100_000);
        var ask = new BudgetAsk(1_000, 100, 10, 50, MinOutputTokens: 50);
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var counter = counters[i % 2];
            var outcome = await counter.TryReserveAsync([budget], ask, default);
            if (outcome.Reservation is { } reservation)
            {
                Interlocked.Increment(ref granted);
                await counter.SettleAsync(reservation, reservation.NanoUsd, reservation.Tokens, default);
            }
        })));
        var (spent, _) = await counters[0].SpentAsync(budget, default);
        Assert.Equal(16, granted); // 100,000 / 6,000
        Assert.Equal(96_000, spent);
    }

    [Fact]
    public async Task Soft_thresholds_fire_once_when_crossed_and_settle_runs_once()
    {
        var counter = Budgets();
        var budget = Budget("h", 10_000, BudgetPeriod.Lifetime, 0.5, 0.8);
        var ask = new BudgetAsk(0, 1, 0, 1_000);
        var alerts = new List<(double, long)>();
        for (var i = 0; i < 4; i++)
        {
            var reservation = (await counter.TryReserveAsync([budget], ask, default)).Reservation!;
            alerts.AddRange((await counter.SettleAsync(reservation, 2_500, 10, default)).Select(a => (a.Threshold, a.SpentNanoUsd)));
            Assert.Empty(await counter.SettleAsync(reservation, 2_500, 10, default));
        }

        Assert.Equal([(0.5, 5_000L), (0.8, 10_000L)], alerts);
        Assert.Null((await counter.TryReserveAsync([budget], ask, default)).Reservation);
    }
}
