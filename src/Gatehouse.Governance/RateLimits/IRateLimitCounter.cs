namespace Gatehouse.Governance.RateLimits;

/// <summary>
/// Rate-limit state shared by every request of a counter key: in process on one node, in Redis across replicas.
/// Implementations use GCRA (generic cell rate algorithm) so the state per key is one timestamp.
/// </summary>
public interface IRateLimitCounter
{
    /// <summary>Takes <paramref name="cost"/> units if the rule allows them now; nothing is taken when denied.</summary>
    ValueTask<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, long cost, CancellationToken cancellationToken);

    /// <summary>Adds (or, when negative, gives back) units after the fact, even past the limit: used for tokens known only at the end.</summary>
    ValueTask ChargeAsync(string key, RateLimitRule rule, long cost, CancellationToken cancellationToken);
}
