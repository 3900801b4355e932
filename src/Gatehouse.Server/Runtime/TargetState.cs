namespace Gatehouse.Server.Runtime;

/// <summary>Everything the gateway knows live about one target: breaker, load and latency, quota use, health checks.</summary>
public sealed class TargetState
{
    /// <summary>Creates the state.</summary>
    public TargetState(TimeProvider time) => Quota = new TargetQuota(time);

    /// <summary>The circuit breaker fed by live traffic.</summary>
    public CircuitBreaker Breaker { get; } = new();

    /// <summary>In-flight, latency and outcome counts.</summary>
    public TargetStats Stats { get; } = new();

    /// <summary>Requests and tokens sent over the last minute.</summary>
    public TargetQuota Quota { get; }

    /// <summary>The active health check verdict.</summary>
    public TargetHealth Health { get; } = new();
}
