namespace Gatehouse.Governance.Budgets;

/// <summary>How often a budget starts over. Windows are calendar-aligned in UTC.</summary>
public enum BudgetPeriod
{
    /// <summary>Each clock hour.</summary>
    Hourly,

    /// <summary>Each UTC day.</summary>
    Daily,

    /// <summary>Each ISO week, starting Monday 00:00 UTC.</summary>
    Weekly,

    /// <summary>Each calendar month, starting on the 1st 00:00 UTC.</summary>
    Monthly,

    /// <summary>Never resets.</summary>
    Lifetime,
}
