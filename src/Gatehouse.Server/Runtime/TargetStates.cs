using System.Collections.Concurrent;

namespace Gatehouse.Server.Runtime;

/// <summary>The live state of all targets by <see cref="RouteTarget.Name"/>; it outlives configuration reloads.</summary>
public sealed class TargetStates
{
    private readonly ConcurrentDictionary<string, TargetState> _states = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the registry.</summary>
    public TargetStates(TimeProvider time) => _time = time;

    /// <summary>
    /// How many targets keep state. Clients choose model names for providers without a model list, so past this many
    /// a new target gets a state of its own for the call, not kept (no breaker history, no stats): memory stays bounded.
    /// </summary>
    public int MaxTracked { get; init; } = 10_000;

    /// <summary>The state of a target.</summary>
    public TargetState For(RouteTarget target) => For(target.Name);

    /// <summary>The state of the target named <paramref name="targetName"/> (<see cref="RouteTarget.Name"/>).</summary>
    public TargetState For(string targetName) =>
        _states.TryGetValue(targetName, out var state) ? state
        : _states.Count < MaxTracked ? _states.GetOrAdd(targetName, static (_, time) => new TargetState(time), _time)
        : new TargetState(_time);

    /// <summary>Every target seen so far, for metrics.</summary>
    public IEnumerable<KeyValuePair<string, TargetState>> All => _states;
}
