using System.Collections.Concurrent;
using Gatehouse.Governance;
using Gatehouse.Governance.RateLimits;

namespace Gatehouse.Storage.Counters;

/// <summary>
/// Shared concurrency slots with a fallback (see <see cref="FailoverRateLimitCounter"/>). A slot taken locally during
/// an outage is given back locally.
/// </summary>
public sealed class FailoverConcurrencyCounter : IConcurrencyCounter
{
    private readonly ConcurrentDictionary<string, int> _local = new(StringComparer.Ordinal);
    private readonly IConcurrencyCounter _shared;
    private readonly IConcurrencyCounter _fallback;
    private readonly CounterHealth _health;

    /// <summary>Creates the counter.</summary>
    public FailoverConcurrencyCounter(IConcurrencyCounter shared, IConcurrencyCounter fallback, CounterHealth health)
    {
        _shared = shared;
        _fallback = fallback;
        _health = health;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryEnterAsync(string key, long max, CancellationToken cancellationToken)
    {
        try
        {
            var entered = await _shared.TryEnterAsync(key, max, cancellationToken);
            _health.Succeeded();
            return entered;
        }
        catch (Exception ex) when (CounterHealth.IsOutage(ex))
        {
            _health.Failed(ex);
            if (_health.Mode == CounterFailureMode.Closed)
            {
                throw new CountersUnavailableException("Concurrency counters are unavailable.", ex);
            }

            var entered = await _fallback.TryEnterAsync(key, max, cancellationToken);
            if (entered)
            {
                _local.AddOrUpdate(key, 1, static (_, n) => n + 1);
            }

            return entered;
        }
    }

    /// <inheritdoc />
    public async ValueTask ExitAsync(string key)
    {
        while (_local.TryGetValue(key, out var held) && held > 0)
        {
            if (_local.TryUpdate(key, held - 1, held))
            {
                await _fallback.ExitAsync(key);
                return;
            }
        }

        try
        {
            await _shared.ExitAsync(key);
            _health.Succeeded();
        }
        catch (Exception ex) when (CounterHealth.IsOutage(ex))
        {
            _health.Failed(ex); // the slot's lease expires by itself
        }
    }
}
