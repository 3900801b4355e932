using Gatehouse.Governance.Budgets;
using Gatehouse.Governance.RateLimits;

namespace Gatehouse.Storage.Tests.Counters;

/// <summary>The counter contract in one process (both "replicas" share the one counter, as threads do).</summary>
public sealed class InProcessCounterTests : CounterContract
{
    private readonly InProcessBudgetCounter _budgets = new(TimeProvider.System);

    protected override IRateLimitCounter Rates { get; } = new InProcessRateLimitCounter(TimeProvider.System);

    protected override IConcurrencyCounter Concurrency { get; } = new InProcessConcurrencyCounter();

    protected override IBudgetCounter Budgets() => _budgets;
}
