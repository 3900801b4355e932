using System.Collections.Concurrent;

namespace Gatehouse.Server.Runtime;

/// <summary>The live state of all targets by <see cref="RouteTarget.Name"/>; it outlives configuration reloads.</summary>
public sealed class TargetStates
{
    private readonly ConcurrentDictionary<string, TargetState> _states = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the registry.</summary>
    public TargetStates(TimeProvider time) => _time = time;

    /// <summary>The state of a target.</summary>
    public TargetState For(RouteTarget target) => _states.GetOrAdd(target.Name, static (_, time) => new TargetState(time), _time);

    /// <summary>Every target seen so far, for metrics.</summary>
    public IEnumerable<KeyValuePair<string, TargetState>> All => _states;
}
