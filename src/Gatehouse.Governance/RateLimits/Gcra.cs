namespace Gatehouse.Governance.RateLimits;

/// <summary>
/// The GCRA arithmetic on one key's theoretical arrival time (TAT), in ticks. Pure: the same steps run in process and,
/// as a Lua script, in Redis.
/// </summary>
public static class Gcra
{
    /// <summary>Tries to take <paramref name="cost"/> units at <paramref name="now"/>; returns the decision and the new TAT.</summary>
    public static RateLimitDecision Acquire(ref long tat, long now, RateLimitRule rule, long cost)
    {
        var period = rule.Period.Ticks;
        var interval = (double)period / rule.Limit;
        var start = Math.Max(tat, now);
        var candidate = start + (long)Math.Ceiling(cost * interval);
        var allowAt = candidate - period;
        if (now < allowAt)
        {
            var remainingNow = Remaining(start, now, period, interval);
            return new RateLimitDecision(false, rule.Limit, remainingNow, TimeSpan.FromTicks(start - now), TimeSpan.FromTicks(allowAt - now));
        }

        tat = candidate;
        return new RateLimitDecision(true, rule.Limit, Remaining(candidate, now, period, interval), TimeSpan.FromTicks(candidate - now), TimeSpan.Zero);
    }

    /// <summary>Adds <paramref name="cost"/> units (negative gives back) without a check.</summary>
    public static void Charge(ref long tat, long now, RateLimitRule rule, long cost)
    {
        var interval = (double)rule.Period.Ticks / rule.Limit;
        var delta = (long)Math.Ceiling(cost * interval);
        tat = Math.Max(Math.Max(tat, now) + delta, now);
    }

    private static long Remaining(long tat, long now, long period, double interval) =>
        Math.Max(0, (long)Math.Floor((period - (tat - now)) / interval));
}
