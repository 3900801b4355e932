using System.Collections.Concurrent;

namespace Gatehouse.Server.Runtime;

/// <summary>The circuit breakers of all targets, by provider and model; they outlive configuration reloads.</summary>
public sealed class CircuitBreakers
{
    private readonly ConcurrentDictionary<(string Provider, string Model), CircuitBreaker> _breakers = new();

    /// <summary>The breaker of a target.</summary>
    public CircuitBreaker For(RouteTarget target) =>
        _breakers.GetOrAdd((target.Provider.Name, target.Model), static _ => new CircuitBreaker());
}
