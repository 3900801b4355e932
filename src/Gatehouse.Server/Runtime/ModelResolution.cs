using Gatehouse.Core;

namespace Gatehouse.Server.Runtime;

/// <summary>The outcome of resolving a requested model name: ordered targets, or a 404 error.</summary>
public readonly record struct ModelResolution(RouteTarget[]? Targets, GatewayError? Error)
{
    /// <summary>How each target is retried (a virtual model's <c>retry</c>; no retries for direct names).</summary>
    public Config.RetryConfig Retry { get; init; } = NoRetry;

    /// <summary>Circuit breaking for a virtual model's targets; null for direct names, which have one target.</summary>
    public Config.CircuitBreakerConfig? CircuitBreaker { get; init; }

    /// <summary>How a virtual model's targets are ordered per request; null keeps the configured order.</summary>
    public RoutingStrategy? Strategy { get; init; }

    /// <summary>The virtual model's configuration (deadline, fallbacks, hedging); null for direct names.</summary>
    public Config.ModelAliasConfig? Group { get; init; }

    /// <summary>One attempt per target.</summary>
    public static Config.RetryConfig NoRetry { get; } = new();

    /// <summary>Whether the name resolved.</summary>
    public bool Found => Targets is not null;
}
