namespace Gatehouse.Governance.Budgets;

/// <summary>One spend limit on one scope: at most <see cref="MaxNanoUsd"/> and/or <see cref="MaxTokens"/> per period.</summary>
public sealed record BudgetLimit
{
    // The largest amount in US dollars whose nano-dollars fit the ledger's long.
    private static readonly decimal MaxUsd = long.MaxValue / 1_000_000_000m;

    /// <summary>The budget's id (stable across restarts; names its counters).</summary>
    public required string Id { get; init; }

    /// <summary>What it limits, as <c>type:id</c> (<c>key:…</c>, <c>user:…</c>, <c>agent:…</c>, <c>team:…</c>, <c>org:…</c>, <c>session:…</c>).</summary>
    public required string Scope { get; init; }

    /// <summary>When it starts over.</summary>
    public BudgetPeriod Period { get; init; } = BudgetPeriod.Monthly;

    /// <summary>Spend limit in billionths of a US dollar, or null for none.</summary>
    public long? MaxNanoUsd { get; init; }

    /// <summary>Token limit (input plus output), or null for none.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Fractions of the limit (for example 0.5, 0.8) at which an alert fires once per window.</summary>
    public IReadOnlyList<double> SoftThresholds { get; init; } = [];

    /// <summary>
    /// Converts US dollars to the ledger's unit, saturating at the ledger's range: a cost from absurd reported usage
    /// must still be booked (as the most the ledger holds), not fail the settlement.
    /// </summary>
    public static long ToNanoUsd(decimal usd) => usd >= MaxUsd ? long.MaxValue
        : usd <= -MaxUsd ? long.MinValue
        : (long)decimal.Round(usd * 1_000_000_000m, MidpointRounding.AwayFromZero);


    /// <summary>Converts the ledger's unit to US dollars.</summary>
    public static decimal ToUsd(long nanoUsd) => nanoUsd / 1_000_000_000m;
}
