namespace Gatehouse.Server.Config;

/// <summary>A virtual model name served by a group of targets, with its load balancing and failure policies.</summary>
public sealed class ModelAliasConfig
{
    /// <summary>The name clients ask for.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The targets, in order.</summary>
    public List<TargetConfig> Targets { get; set; } = [];

    /// <summary>How targets are ordered per request: ordered, weighted, round_robin, least_in_flight, lowest_latency, lowest_cost.</summary>
    public string Strategy { get; set; } = "ordered";

    /// <summary>How often each target is retried before the next one is tried, and on which failures.</summary>
    public RetryConfig Retry { get; set; } = new();

    /// <summary>When a failing target is skipped.</summary>
    public CircuitBreakerConfig CircuitBreaker { get; set; } = new();

    /// <summary>The time all attempts of one request share, retries and fallbacks included; null for no limit.</summary>
    public TimeSpan? Deadline { get; set; }

    /// <summary>Other models to try when every target failed, in order, each on the failures it names.</summary>
    public List<FallbackConfig> Fallbacks { get; set; } = [];

    /// <summary>A second attempt on another target when the first is slow (non-streamed requests); null when off.</summary>
    public HedgeConfig? Hedge { get; set; }

    /// <summary>Active health checks of the targets; null when off.</summary>
    public HealthCheckConfig? HealthCheck { get; set; }

    /// <summary>The line in the config file, for messages.</summary>
    public int Line { get; set; }
}

/// <summary>Retries of one target: exponential backoff with full jitter, honouring Retry-After.</summary>
public sealed class RetryConfig
{
    /// <summary>Attempts per target, the first included (1 = no retry).</summary>
    public int Attempts { get; set; } = 1;

    /// <summary>The backoff before the first retry; it doubles for each further one.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between attempts; a Retry-After beyond it moves on to the next target instead.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The failures that are retried and fail over; the others answer the client at once.</summary>
    public FailureClass On { get; set; } = FailureClass.Retryable;
}

/// <summary>Classes of upstream failure, as named in configuration.</summary>
[Flags]
public enum FailureClass
{
    /// <summary>No failure class.</summary>
    None = 0,

    /// <summary>The provider could not be reached or the connection broke (<c>connect</c>).</summary>
    Connect = 1,

    /// <summary>No first byte or no end within the timeouts (<c>timeout</c>).</summary>
    Timeout = 2,

    /// <summary>The provider is rate limiting (<c>429</c>).</summary>
    RateLimited = 4,

    /// <summary>A server error or overload (<c>5xx</c>).</summary>
    ServerError = 8,

    /// <summary>The prompt does not fit the model's context window (<c>context_length</c>).</summary>
    ContextLength = 16,

    /// <summary>The provider refused on content policy grounds (<c>content_policy</c>).</summary>
    ContentPolicy = 32,

    /// <summary>Every failure that another attempt may cure: connect, timeout, 429 and 5xx.</summary>
    Retryable = Connect | Timeout | RateLimited | ServerError,
}

/// <summary>A fallback: another model tried when this one's targets all failed with one of the named failures.</summary>
public sealed class FallbackConfig
{
    /// <summary>The model (virtual or <c>provider/model</c>) to try next.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>The failures that lead to it; <see cref="FailureClass.Retryable"/> by default (<c>error</c>).</summary>
    public FailureClass On { get; set; } = FailureClass.Retryable;

    /// <summary>The line in the config file, for messages.</summary>
    public int Line { get; set; }
}

/// <summary>Hedging: after <see cref="After"/> without an answer, a second target is asked too and the first answer wins.</summary>
public sealed class HedgeConfig
{
    /// <summary>The fixed delay before the hedge; null to use the group's observed p95 latency.</summary>
    public TimeSpan? After { get; set; }

    /// <summary>The delay used while too few latencies are known for a p95.</summary>
    public TimeSpan Initial { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Active health checks: a one-token request to each target at an interval.</summary>
public sealed class HealthCheckConfig
{
    /// <summary>Time between checks of one target.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a check may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failed checks that mark a target unhealthy.</summary>
    public int UnhealthyAfter { get; set; } = 2;

    /// <summary>Consecutive passed checks that mark it healthy again.</summary>
    public int HealthyAfter { get; set; } = 1;
}

/// <summary>Per-target circuit breaking for a virtual model (passive outlier ejection from live traffic).</summary>
public sealed class CircuitBreakerConfig
{
    /// <summary>Consecutive upstream failures that open the breaker.</summary>
    public int Failures { get; set; } = 5;

    /// <summary>How long an open breaker skips the target before one probe request is let through.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The failed share of attempts over <see cref="Window"/> that opens the breaker; null to use only consecutive failures.</summary>
    public double? ErrorRate { get; set; }

    /// <summary>The sliding window the error rate is measured over.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The attempts the window must hold before the error rate counts.</summary>
    public int MinRequests { get; set; } = 20;
}

/// <summary>One target of a virtual model, with optional overrides of its provider's settings.</summary>
public sealed class TargetConfig
{
    /// <summary>Provider name.</summary>
    public string Provider { get; set; } = string.Empty;

    /// <summary>Upstream model id.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Relative share of traffic under the weighted strategy.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>A base URL instead of the provider's (another deployment or region of the same provider).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>An API key instead of the provider's.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A region instead of the provider's (Bedrock), also part of the target's name in headers and logs.</summary>
    public string? Region { get; set; }

    /// <summary>Requests per minute this target may receive from this gateway; it is skipped when the next would exceed it.</summary>
    public long? MaxRpm { get; set; }

    /// <summary>Tokens per minute (prompt estimate plus output) this target may receive; skipped when the next would exceed it.</summary>
    public long? MaxTpm { get; set; }

    /// <summary>The line in the config file, for messages.</summary>
    public int Line { get; set; }

    /// <summary>Whether the target changes how its provider is reached (so it needs its own adapter).</summary>
    public bool OverridesProvider => BaseUrl is not null || ApiKey is not null || Region is not null;
}
