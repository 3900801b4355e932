namespace Gatehouse.Storage.Counters;

/// <summary>What admission does while the shared counters (Redis) cannot be reached.</summary>
public enum CounterFailureMode
{
    /// <summary>Refuse requests that need counters (503 <c>governance_unavailable</c>): limits are never exceeded.</summary>
    Closed,

    /// <summary>Count in this replica's memory until Redis returns: requests keep flowing, limits apply per replica.</summary>
    Open,
}
