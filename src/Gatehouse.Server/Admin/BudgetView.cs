namespace Gatehouse.Server.Admin;

/// <summary>A budget with its spend in the current window.</summary>
public sealed class BudgetView
{
    /// <summary>Budget id.</summary>
    public required string Id { get; init; }

    /// <summary>What it limits.</summary>
    public required string Scope { get; init; }

    /// <summary>Period name.</summary>
    public required string Period { get; init; }

    /// <summary>Spend limit in USD.</summary>
    public decimal? MaxUsd { get; init; }

    /// <summary>Token limit.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Alert thresholds.</summary>
    public IReadOnlyList<double> SoftThresholds { get; init; } = [];

    /// <summary>Spend in the current window (this replica's view on one node; shared with Redis).</summary>
    public decimal SpentUsd { get; init; }

    /// <summary>Tokens in the current window.</summary>
    public long SpentTokens { get; init; }

    /// <summary>When the current window ends.</summary>
    public DateTimeOffset? ResetsAt { get; init; }
}
