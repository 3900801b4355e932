using Gatehouse.Core;
using Gatehouse.Server.Config;

namespace Gatehouse.Server.Pipeline;

/// <summary>Exponential backoff with full jitter between attempts on one target, honouring Retry-After.</summary>
public static class RetryBackoff
{
    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first), or null when the target should not be
    /// retried now: the provider asked for a longer pause than <see cref="RetryConfig.MaxBackoff"/> allows.
    /// </summary>
    public static TimeSpan? Delay(RetryConfig config, int retry, GatewayError error, Random random)
    {
        if (error.RetryAfter is { } retryAfter)
        {
            return retryAfter <= config.MaxBackoff ? retryAfter : null;
        }

        var ceiling = config.Backoff.TotalMilliseconds * Math.Pow(2, retry - 1);
        var capped = Math.Min(ceiling, config.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(random.NextDouble() * capped);
    }
}
