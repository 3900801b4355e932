namespace Gatehouse.Governance.RateLimits;

/// <summary>The answer of a rate-limit check, with what the <c>x-ratelimit-*</c> headers report.</summary>
/// <param name="Allowed">Whether the units were granted.</param>
/// <param name="Limit">The rule's limit.</param>
/// <param name="Remaining">Units still available now.</param>
/// <param name="ResetAfter">Time until the full limit is available again.</param>
/// <param name="RetryAfter">When denied, how long until the request would be allowed.</param>
public readonly record struct RateLimitDecision(bool Allowed, long Limit, long Remaining, TimeSpan ResetAfter, TimeSpan RetryAfter);
