namespace Gatehouse.Governance.RateLimits;

/// <summary>At most <see cref="Limit"/> units (requests or tokens) per <see cref="Period"/>, with a burst of the whole limit.</summary>
/// <param name="Limit">Units allowed per period; positive.</param>
/// <param name="Period">The period, usually one minute.</param>
public readonly record struct RateLimitRule(long Limit, TimeSpan Period);
