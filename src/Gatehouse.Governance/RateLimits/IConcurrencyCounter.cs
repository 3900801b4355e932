namespace Gatehouse.Governance.RateLimits;

/// <summary>Counts requests under way per key so a limit on concurrent requests can be enforced.</summary>
public interface IConcurrencyCounter
{
    /// <summary>Enters one request if fewer than <paramref name="max"/> are under way; false when the limit is reached.</summary>
    ValueTask<bool> TryEnterAsync(string key, long max, CancellationToken cancellationToken);

    /// <summary>Leaves one request entered with <see cref="TryEnterAsync"/>.</summary>
    ValueTask ExitAsync(string key);
}
