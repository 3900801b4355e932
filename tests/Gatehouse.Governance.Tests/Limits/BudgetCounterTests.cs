using Gatehouse.Governance.Budgets;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.Governance.Tests.Limits;

public sealed class BudgetCounterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 30, 0, TimeSpan.Zero));

    private static BudgetLimit Budget(string id, long nanoUsd, BudgetPeriod period = BudgetPeriod.Monthly, params double[] soft) =>
        new() { Id = id, Scope = "key:" + id, Period = period, MaxNanoUsd = nanoUsd, SoftThresholds = soft };

    [Fact]
    public async Task A_reservation_clamps_output_to_what_every_budget_can_pay_for()
    {
        var counter = new InProcessBudgetCounter(_time);
        var ask = new BudgetAsk(FixedNanoUsd: 1_000, NanoUsdPerOutputToken: 10, FixedTokens: 100, MaxOutputTokens: 10_000);
        var outcome = await counter.TryReserveAsync([Budget("wide", 1_000_000), Budget("narrow", 6_000)], ask, default);
        Assert.Equal(500, outcome.Reservation!.GrantedOutputTokens);
        Assert.Equal(6_000, outcome.Reservation.NanoUsd);

        var refused = await counter.TryReserveAsync([Budget("narrow", 6_000)], ask, default);
        Assert.Null(refused.Reservation);
        Assert.Equal("narrow", refused.Exhausted!.Id);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), refused.ResetsAt);

        await counter.SettleAsync(outcome.Reservation, 2_000, 150, default);
        Assert.Equal((2_000L, 150L), await counter.SpentAsync(Budget("narrow", 6_000), default));
        Assert.NotNull((await counter.TryReserveAsync([Budget("narrow", 6_000)], ask, default)).Reservation);
    }

    [Fact]
    public async Task Under_concurrency_spend_never_exceeds_the_limit()
    {
        var counter = new InProcessBudgetCounter(_time);
        var budget = Budget("b", 100_000);
        var ask = new BudgetAsk(1_000, 100, 10, 50, MinOutputTokens: 50);
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(async () =>
        {
            var outcome = await counter.TryReserveAsync([budget], ask, default);
            if (outcome.Reservation is { } reservation)
            {
                Interlocked.Increment(ref granted);
                await counter.SettleAsync(reservation, reservation.NanoUsd, reservation.Tokens, default);
            }
        })));
        var (spent, _) = await counter.SpentAsync(budget, default);
        Assert.Equal(16, granted); // 100,000 / 6,000
        Assert.True(spent <= 100_000);
    }

    [Fact]
    public async Task Soft_thresholds_fire_once_when_crossed_and_windows_reset()
    {
        var counter = new InProcessBudgetCounter(_time);
        var budget = Budget("h", 10_000, BudgetPeriod.Hourly, 0.5, 0.8);
        var ask = new BudgetAsk(0, 1, 0, 1_000);
        var alerts = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            var reservation = (await counter.TryReserveAsync([budget], ask, default)).Reservation!;
            alerts.AddRange((await counter.SettleAsync(reservation, 2_500, 10, default)).Select(a => a.Threshold));
            Assert.Empty(await counter.SettleAsync(reservation, 2_500, 10, default)); // settles once
        }

        Assert.Equal([0.5, 0.8], alerts);
        Assert.Null((await counter.TryReserveAsync([budget], ask, default)).Reservation);
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.NotNull((await counter.TryReserveAsync([budget], ask, default)).Reservation);
    }

    [Theory]
    [InlineData(BudgetPeriod.Hourly, "2026-11-26T10:00:00Z")]
    [InlineData(BudgetPeriod.Daily, "2026-11-26T00:00:00Z")]
    [InlineData(BudgetPeriod.Weekly, "2026-11-23T00:00:00Z")]
    [InlineData(BudgetPeriod.Monthly, "2026-11-01T00:00:00Z")]
    [InlineData(BudgetPeriod.Lifetime, "1970-01-01T00:00:00Z")]
    public void Windows_are_calendar_aligned_in_utc(BudgetPeriod period, string start) =>
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), BudgetWindow.StartOf(period, _time.GetUtcNow()));

    [Fact]
    public async Task Spend_seeded_from_the_journal_counts_after_a_restart()
    {
        var journal = new RecordingJournal();
        var first = new InProcessBudgetCounter(_time, journal);
        var budget = Budget("j", 10_000);
        var reservation = (await first.TryReserveAsync([budget], new BudgetAsk(0, 1, 0, 100), default)).Reservation!;
        await first.SettleAsync(reservation, 9_000, 5, default);

        var restarted = new InProcessBudgetCounter(_time);
        foreach (var (account, nano, tokens) in journal.Entries)
        {
            restarted.Seed(account, nano, tokens);
        }

        Assert.Equal((9_000L, 5L), await restarted.SpentAsync(budget, default));
    }

    private sealed class RecordingJournal : IBudgetSpendJournal
    {
        public List<(string, long, long)> Entries { get; } = [];

        public void Record(string account, long nanoUsd, long tokens) => Entries.Add((account, nanoUsd, tokens));
    }
}
