namespace Gatehouse.Server.Admin;

/// <summary>The body that creates or replaces a budget.</summary>
public sealed class BudgetRequest
{
    /// <summary>Budget id; generated from scope and period when absent.</summary>
    public string? Id { get; set; }

    /// <summary><c>key:ID</c>, <c>user:ID</c>, <c>agent:ID</c>, <c>team:ID</c>, <c>org:ID</c> or <c>session:agent:ID</c> (per session of that agent).</summary>
    public string? Scope { get; set; }

    /// <summary>hourly, daily, weekly, monthly (default) or lifetime.</summary>
    public string? Period { get; set; }

    /// <summary>Spend limit in USD.</summary>
    public decimal? MaxUsd { get; set; }

    /// <summary>Token limit.</summary>
    public long? MaxTokens { get; set; }

    /// <summary>Alert thresholds as fractions (0.5, 0.8).</summary>
    public List<double>? SoftThresholds { get; set; }
}
