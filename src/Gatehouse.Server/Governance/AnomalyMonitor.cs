using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using Gatehouse.Governance.Audit;
using Gatehouse.Inspection.Anomaly;
using Gatehouse.Server.Config;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Telemetry;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Feeds every settled request of a key, agent or team into the <see cref="AnomalyDetector"/> and acts on what it
/// flags: record (log, metric, audit, admin API), alert (webhook), throttle the identity, or suspend the key.
/// </summary>
public sealed partial class AnomalyMonitor
{
    private const int Kept = 1_000;
    private readonly AnomalyDetector _detector;
    private readonly AnomalyConfig _config;
    private readonly GovernanceState _state;
    private readonly AuditWriter _audit;
    private readonly GatewayMetrics _metrics;
    private readonly WebhookSender _webhooks;
    private readonly TimeProvider _time;
    private readonly ILogger<AnomalyMonitor> _logger;
    private readonly ConcurrentQueue<TrafficAnomaly> _recent = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _throttled = new(StringComparer.Ordinal);

    /// <summary>Creates the monitor.</summary>
    public AnomalyMonitor(AnomalyConfig config, GovernanceState state, AuditWriter audit, GatewayMetrics metrics, WebhookSender webhooks, TimeProvider time, ILogger<AnomalyMonitor> logger)
    {
        _config = config;
        _state = state;
        _audit = audit;
        _metrics = metrics;
        _webhooks = webhooks;
        _time = time;
        _logger = logger;
        _detector = new AnomalyDetector(config.Options, time);
    }

    /// <summary>The most recent anomalies, newest last.</summary>
    public IReadOnlyList<TrafficAnomaly> Recent => [.. _recent];

    /// <summary>Whether any scope of the caller is throttled now; returns how long for.</summary>
    public TimeSpan? ThrottledFor(Principal principal)
    {
        if (_throttled.IsEmpty)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        foreach (var scope in principal.Scopes)
        {
            if (_throttled.TryGetValue(scope, out var until) && until > now)
            {
                return until - now;
            }
        }

        return null;
    }

    /// <summary>Observes a finished request (stage 10) and acts on anomalies.</summary>
    public async ValueTask ObserveAsync(Exchange exchange)
    {
        if (!_config.Enabled || exchange.Principal is not { Kind: not PrincipalKind.Open } principal)
        {
            return;
        }

        var sample = new TrafficSample(
            exchange.Usage.InputTokens + exchange.Usage.OutputTokens,
            (double)(exchange.Cost ?? 0),
            exchange.Error is not null,
            GuardrailHits(exchange),
            exchange.ModelRequested);
        foreach (var scope in principal.Scopes)
        {
            if (scope.StartsWith("user:", StringComparison.Ordinal) || scope.StartsWith("org:", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var anomaly in _detector.Observe(scope, sample))
            {
                await ActAsync(anomaly, exchange);
            }
        }
    }

    private static int GuardrailHits(Exchange exchange)
    {
        var hits = 0;
        foreach (var verdict in exchange.Guardrails?.Verdicts ?? [])
        {
            hits += verdict.Outcome is Inspection.GuardrailOutcome.Flagged or Inspection.GuardrailOutcome.Redacted or Inspection.GuardrailOutcome.Blocked or Inspection.GuardrailOutcome.Routed ? 1 : 0;
        }

        return hits;
    }

    private async ValueTask ActAsync(TrafficAnomaly anomaly, Exchange exchange)
    {
        _recent.Enqueue(anomaly);
        while (_recent.Count > Kept && _recent.TryDequeue(out _))
        {
        }

        _metrics.Anomaly(anomaly.Signal);
        LogAnomaly(_logger, anomaly.Identity, anomaly.Signal, anomaly.Reason);
        var outcome = "flagged";
        switch (_config.Action)
        {
            case "alert" when _config.Webhook is { } webhook:
                _webhooks.Post(webhook, Payload(anomaly));
                outcome = "alerted";
                break;
            case "throttle":
                _throttled[anomaly.Identity] = _time.GetUtcNow() + _config.ThrottleFor;
                outcome = "throttled";
                break;
            case "suspend" when anomaly.Identity.StartsWith("key:", StringComparison.Ordinal):
                await _state.Store.RevokeKeyAsync(anomaly.Identity["key:".Length..], _time.GetUtcNow(), CancellationToken.None);
                await _state.RefreshAsync(force: true, CancellationToken.None);
                outcome = "suspended";
                break;
            case "suspend":
                // Agents and teams are not keys: hold their traffic instead.
                _throttled[anomaly.Identity] = _time.GetUtcNow() + _config.ThrottleFor;
                outcome = "throttled";
                break;
        }

        _audit.Enqueue(new AuditEntry
        {
            Time = anomaly.At,
            Actor = "anomaly-detector",
            Action = "anomaly." + anomaly.Signal,
            Target = anomaly.Identity,
            Outcome = outcome,
            Reason = anomaly.Reason,
            RequestId = exchange.Id,
            SourceIp = exchange.Http.Connection.RemoteIpAddress?.ToString(),
        });
    }

    private static string Payload(TrafficAnomaly anomaly) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"type":"anomaly.detected","identity":"{{Encode(anomaly.Identity)}}","signal":"{{anomaly.Signal}}","score":{{anomaly.Score:0.###}},"reason":"{{Encode(anomaly.Reason)}}","time":"{{anomaly.At:O}}"}""");

    private static string Encode(string text) => JavaScriptEncoder.Default.Encode(text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Anomaly for {Identity}: {Signal} — {Reason}")]
    private static partial void LogAnomaly(ILogger logger, string identity, string signal, string reason);
}
