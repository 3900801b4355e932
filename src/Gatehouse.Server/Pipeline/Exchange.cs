using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Inspection;
using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Pipeline;

/// <summary>The state of one request as it passes the stages: what was asked, what served it, what it cost.</summary>
public sealed class Exchange
{
    /// <summary>Creates the exchange for an arriving request.</summary>
    public Exchange(HttpContext http, string route, Dialect dialect, GatewaySnapshot snapshot, long startTimestamp, DateTimeOffset arrived)
    {
        Http = http;
        Route = route;
        Dialect = dialect;
        Snapshot = snapshot;
        StartTimestamp = startTimestamp;
        Arrived = arrived;
        Id = RequestId.NewTimeOrdered(arrived);
    }

    /// <summary>The request id (x-request-id): time-ordered, so the request log's primary key grows at its end.</summary>
    public string Id { get; }

    /// <summary>The HTTP context.</summary>
    public HttpContext Http { get; }

    /// <summary>The route template, for logs and metrics.</summary>
    public string Route { get; }

    /// <summary>The dialect the client speaks (errors are written in it).</summary>
    public Dialect Dialect { get; }

    /// <summary>The configuration snapshot this request uses from start to end.</summary>
    public GatewaySnapshot Snapshot { get; }

    /// <summary>The monotonic start timestamp.</summary>
    public long StartTimestamp { get; }

    /// <summary>Wall-clock arrival time.</summary>
    public DateTimeOffset Arrived { get; }

    /// <summary>Who is calling, once identified.</summary>
    public Principal? Principal { get; set; }

    /// <summary>What admit reserved for this request, settled when it ends.</summary>
    public Admission? Admission { get; set; }

    /// <summary>Vault keys to use instead of the configured ones, by provider name (a team's own key); null when none.</summary>
    public Dictionary<string, string>? VaultKeys { get; set; }

    /// <summary>Puts the vault key for <paramref name="target"/>'s provider on an upstream request, when there is one.</summary>
    public void ApplyVaultKey(HttpRequestMessage message, RouteTarget target)
    {
        if (VaultKeys is { } keys && keys.TryGetValue(target.Provider.Name, out var key))
        {
            target.Provider.Adapter.ReplaceApiKey(message, key);
        }
    }

    /// <summary>The model name the client asked for.</summary>
    public string? ModelRequested { get; set; }

    /// <summary>The target that served (or was last tried).</summary>
    public RouteTarget? Target { get; set; }

    /// <summary>Upstream attempts made.</summary>
    public int Attempts { get; set; }

    /// <summary>How a router chose the model (rule or semantic route and score); null when no router was involved.</summary>
    public string? RouteDecision { get; set; }

    /// <summary>Every upstream attempt, in order; null until the first.</summary>
    public List<AttemptRecord>? AttemptLog { get; set; }

    /// <summary>Targets passed over and why; null when none was.</summary>
    public List<SkippedTarget>? Skipped { get; set; }

    /// <summary>The models tried after the requested one failed (fallbacks), in order; null when none was.</summary>
    public List<string>? Fallbacks { get; set; }

    /// <summary>
    /// How many of <see cref="Fallbacks"/> belong to an answer an output guardrail rejected: the call that serves the
    /// request after the route starts afresh, so only the fallbacks after these name how it was served.
    /// </summary>
    public int FallbacksBeforeReroute { get; set; }

    /// <summary>The monotonic timestamp by which every attempt must end (the group's deadline); null for none.</summary>
    public long? Deadline { get; set; }

    /// <summary>Whether a refused answer (content filter) should fail over instead of reaching the client.</summary>
    public bool FailOverOnRefusal { get; set; }

    /// <summary>Whether the answer is streamed.</summary>
    public bool Stream { get; set; }

    /// <summary>Token usage reported by the provider (of both calls when an output guardrail routed the request).</summary>
    public Usage Usage { get; set; }

    /// <summary>Cost in USD, if the model is priced.</summary>
    public decimal? Cost { get; set; }

    /// <summary>Monotonic timestamp of the first byte sent to the client.</summary>
    public long? FirstByteTimestamp { get; set; }

    /// <summary>The status sent to the client.</summary>
    public int Status { get; set; } = 200;

    /// <summary>Guardrail verdicts, placeholders and route decision; null until a guardrail runs.</summary>
    public GuardrailSession? Guardrails { get; set; }

    /// <summary>An answer an output guardrail rejected with <c>action: route</c>, and what it cost; null when none was.</summary>
    public AnswerReroute? Reroute { get; set; }

    /// <summary>Why a router's semantic stage could not compare (embedder failure), set only on the request that met it; logged once as a warning.</summary>
    public string? RouterProblem { get; set; }

    /// <summary>The error, when the request failed.</summary>
    public GatewayError? Error { get; set; }
}
