using Gatehouse.Governance.Budgets;
using Gatehouse.Server.Governance;
using Xunit;

namespace Gatehouse.IntegrationTests.Replicas;

/// <summary>What a flushed Redis gets back from the spend journal: every budget's current window, per-session budgets included.</summary>
public sealed class BudgetSeedTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 15, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Current_windows_of_budgets_and_of_every_journaled_session_are_seeded()
    {
        var daily = new BudgetLimit { Id = "b-key", Scope = "key:k1", Period = BudgetPeriod.Daily, MaxNanoUsd = 1_000 };
        var perSession = new BudgetLimit { Id = "b-session", Scope = "session:agent:bot", Period = BudgetPeriod.Daily, MaxNanoUsd = 500 };
        var today = InProcessBudgetCounter.AccountOf(daily, Now)[InProcessBudgetCounter.AccountOf(daily, Now).LastIndexOf('@')..];
        var yesterday = InProcessBudgetCounter.AccountOf(daily, Now.AddDays(-1))[InProcessBudgetCounter.AccountOf(daily, Now.AddDays(-1)).LastIndexOf('@')..];
        var journaled = new Dictionary<string, (long NanoUsd, long Tokens)>(StringComparer.Ordinal)
        {
            ["b-key" + today] = (300, 10),
            ["b-key" + yesterday] = (900, 30),
            ["b-session#s1" + today] = (120, 4),
            ["b-session#s2" + today] = (80, 2),
            ["b-session#s3" + yesterday] = (400, 9),
            ["b-other" + today] = (1, 1),
        };

        var seed = SharedCounterMaintenance.CurrentWindows([daily, perSession], journaled, Now);

        Assert.Equal(
            ["b-key" + today, "b-session#s1" + today, "b-session#s2" + today],
            seed.Select(s => s.Account).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal((120L, 4L), seed.Single(s => s.Account == "b-session#s1" + today) is var s1 ? (s1.NanoUsd, s1.Tokens) : default);
        Assert.All(seed, s => Assert.True(s.TimeToLive > 86_400));
    }
}
