using System.Collections.Concurrent;

namespace Gatehouse.Server.Runtime;

/// <summary>The stats of all targets, by provider and model; they outlive configuration reloads.</summary>
public sealed class TargetStatsRegistry
{
    private readonly ConcurrentDictionary<(string Provider, string Model), TargetStats> _stats = new();

    /// <summary>The stats of a target.</summary>
    public TargetStats For(RouteTarget target) => _stats.GetOrAdd((target.Provider.Name, target.Model), static _ => new TargetStats());
}
