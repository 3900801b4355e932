using Gatehouse.Core;

namespace Gatehouse.Storage.RequestLogs;

/// <summary>One served request, as recorded in the request log.</summary>
public sealed record RequestLogRecord
{
    /// <summary>The request id (also in the x-request-id response header).</summary>
    public required string Id { get; init => field = StoredText.Of(value); }

    /// <summary>When the request arrived.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The route, for example /v1/chat/completions.</summary>
    public required string Route { get; init => field = StoredText.Of(value); }

    /// <summary>The model name the client asked for.</summary>
    public string? ModelRequested { get; init => field = StoredText.OfNullable(value); }

    /// <summary>The provider that served (or last tried).</summary>
    public string? Provider { get; init => field = StoredText.OfNullable(value); }

    /// <summary>The upstream model that served.</summary>
    public string? ModelServed { get; init => field = StoredText.OfNullable(value); }

    /// <summary>The HTTP status returned to the client (499 when the client went away).</summary>
    public int Status { get; init; }

    /// <summary>Whether the answer was streamed.</summary>
    public bool Stream { get; init; }

    /// <summary>Total time in milliseconds.</summary>
    public double LatencyMs { get; init; }

    /// <summary>Time to the first byte sent to the client, in milliseconds.</summary>
    public double? TtfbMs { get; init; }

    /// <summary>Uncached input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Cached input tokens read.</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Cost in USD, from the catalog; null when the model is not priced.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>How many upstream attempts were made.</summary>
    public int Attempts { get; init; }

    /// <summary>The error code, when the request failed.</summary>
    public string? ErrorCode { get; init => field = StoredText.OfNullable(value); }

    /// <summary>The error message, when the request failed.</summary>
    public string? ErrorMessage { get; init => field = StoredText.OfNullable(value); }

    /// <summary>Guardrail verdicts as <c>name:stage=outcome</c> joined by <c>;</c>; null when no guardrail ran.</summary>
    public string? Guardrails { get; init => field = StoredText.OfNullable(value); }

    /// <summary>
    /// How the request was routed, as a JSON object: the routing decision, each upstream attempt (target, status,
    /// latency, error class), skipped targets and why, fallbacks taken; null when no upstream was tried.
    /// </summary>
    public string? Routing { get; init => field = StoredText.OfNullable(value); }
}
