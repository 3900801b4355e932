using Gatehouse.Governance.Budgets;
using Xunit;

namespace Gatehouse.Governance.Tests.Limits;

/// <summary>The ledger's unit: dollars to nano-dollars, exact where it fits and saturating where it does not.</summary>
public sealed class NanoUsdTests
{
    [Fact]
    public void Converts_exactly_and_rounds_half_away_from_zero()
    {
        Assert.Equal(12_500_000L, BudgetLimit.ToNanoUsd(0.0125m));
        Assert.Equal(1L, BudgetLimit.ToNanoUsd(0.0000000005m));
        Assert.Equal(0.0125m, BudgetLimit.ToUsd(12_500_000L));
    }

    [Fact]
    public void A_cost_past_the_ledger_saturates_instead_of_failing_the_settlement()
    {
        Assert.Equal(long.MaxValue, BudgetLimit.ToNanoUsd(1e12m));
        Assert.Equal(long.MaxValue, BudgetLimit.ToNanoUsd(decimal.MaxValue));
        Assert.Equal(long.MinValue, BudgetLimit.ToNanoUsd(-1e12m));
        Assert.Equal(9_223_372_036_000_000_000L, BudgetLimit.ToNanoUsd(9_223_372_036m));
    }
}
