namespace Gatehouse.Governance.Budgets;

/// <summary>Calendar arithmetic of budget periods.</summary>
public static class BudgetWindow
{
    /// <summary>The start of the window that contains <paramref name="now"/>.</summary>
    public static DateTimeOffset StartOf(BudgetPeriod period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return period switch
        {
            BudgetPeriod.Hourly => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Daily => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Weekly => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero).AddDays(-(((int)utc.DayOfWeek + 6) % 7)),
            BudgetPeriod.Monthly => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => DateTimeOffset.UnixEpoch,
        };
    }

    /// <summary>The start of the next window, or null for lifetime budgets.</summary>
    public static DateTimeOffset? NextStart(BudgetPeriod period, DateTimeOffset now)
    {
        var start = StartOf(period, now);
        return period switch
        {
            BudgetPeriod.Hourly => start.AddHours(1),
            BudgetPeriod.Daily => start.AddDays(1),
            BudgetPeriod.Weekly => start.AddDays(7),
            BudgetPeriod.Monthly => start.AddMonths(1),
            _ => null,
        };
    }

    /// <summary>Parses a period name (<c>hourly</c>, <c>daily</c>, <c>weekly</c>, <c>monthly</c>, <c>lifetime</c>).</summary>
    public static bool TryParse(string? text, out BudgetPeriod period)
    {
        period = text switch
        {
            "hourly" => BudgetPeriod.Hourly,
            "daily" => BudgetPeriod.Daily,
            "weekly" => BudgetPeriod.Weekly,
            "monthly" => BudgetPeriod.Monthly,
            "lifetime" => BudgetPeriod.Lifetime,
            _ => (BudgetPeriod)(-1),
        };
        return Enum.IsDefined(period);
    }

    /// <summary>The configuration name of a period.</summary>
    public static string Name(BudgetPeriod period) => period switch
    {
        BudgetPeriod.Hourly => "hourly",
        BudgetPeriod.Daily => "daily",
        BudgetPeriod.Weekly => "weekly",
        BudgetPeriod.Monthly => "monthly",
        _ => "lifetime",
    };
}
