using System.Text;
using Gatehouse.Core;
using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Policies;
using Gatehouse.Providers.Catalog;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Runtime;
using Gatehouse.Server.Telemetry;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Stages 2–4 and 10 as the pipelines call them: identify the caller, authorize the model, admit against limits and
/// budgets, and settle at the end. Every refusal is counted, and denials and rejections are audited.
/// </summary>
public sealed partial class GovernanceGate
{
    private readonly CallerIdentifier _identifier;
    private readonly AdmissionControl _admission;
    private readonly AuditWriter _audit;
    private readonly GatewayMetrics _metrics;
    private readonly PolicyEvaluator _policies;
    private readonly GovernanceState _state;
    private readonly TimeProvider _time;
    private readonly AnomalyMonitor? _anomalies;
    private readonly ILogger<GovernanceGate>? _logger;

    /// <summary>Creates the gate.</summary>
    public GovernanceGate(
        CallerIdentifier identifier,
        AdmissionControl admission,
        AuditWriter audit,
        GatewayMetrics metrics,
        PolicyEvaluator policies,
        GovernanceState state,
        TimeProvider time,
        AnomalyMonitor? anomalies = null,
        ILogger<GovernanceGate>? logger = null)
    {
        _logger = logger;
        _anomalies = anomalies;
        _policies = policies;
        _state = state;
        _time = time;
        _identifier = identifier;
        _admission = admission;
        _audit = audit;
        _metrics = metrics;
    }

    /// <summary>Stage 2: identifies the caller into <see cref="Exchange.Principal"/>; returns the 401/403 otherwise.</summary>
    public async ValueTask<GatewayError?> IdentifyAsync(Exchange exchange)
    {
        var (principal, error) = await _identifier.IdentifyAsync(exchange.Http);
        if (error is not null)
        {
            _metrics.GovernanceRejection(error.Code ?? "unauthenticated");
            if (error.Kind == ErrorKind.PermissionDenied)
            {
                Audit(exchange, "identify", "-", "denied", error.Message);
            }

            return error;
        }

        exchange.Principal = principal;
        return null;
    }

    /// <summary>Stages 3–4: authorizes <paramref name="action"/> on <paramref name="model"/> (key restrictions, then policies) and admits the request.</summary>
    public async ValueTask<GatewayError?> AdmitAsync(Exchange exchange, string action, string model, long estimatedPromptTokens, int? maxOutputTokens, RouteTarget[] targets, CallFacts facts)
    {
        var principal = exchange.Principal!;
        if (ModelAccess.Check(principal, model) is { } denied)
        {
            _metrics.GovernanceRejection(denied.Code!);
            Audit(exchange, action, string.Concat("model:", model), "denied", denied.Message);
            return denied;
        }

        if (principal.Kind != PrincipalKind.Open && !DecidedAfterInspection(exchange)
            && Authorize(exchange, action, model, targets, facts, estimatedPromptTokens + (maxOutputTokens ?? 0), null) is { } forbidden)
        {
            _metrics.GovernanceRejection(forbidden.Code!);
            return forbidden;
        }

        if (_anomalies?.ThrottledFor(principal) is { } wait)
        {
            var throttled = new GatewayError(ErrorKind.RateLimited, "Traffic of this identity is held for a while after an anomaly in its usage; retry later.", "anomaly_throttled") { RetryAfter = wait };
            _metrics.GovernanceRejection(throttled.Code!);
            return throttled;
        }

        if (VaultKeys(exchange, targets) is { } vaultError)
        {
            return vaultError;
        }

        var infos = new ModelInfo?[targets.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            infos[i] = targets[i].Info;
        }

        var (admission, error) = await _admission.AdmitAsync(
            new AdmissionRequest
            {
                Principal = principal,
                Model = model,
                Action = action,
                RequestId = exchange.Id,
                EstimatedPromptTokens = estimatedPromptTokens,
                MaxOutputTokens = maxOutputTokens,
                Targets = infos,
            },
            exchange.Http);
        if (error is not null)
        {
            _metrics.GovernanceRejection(error.Code!);
            return error;
        }

        exchange.Admission = admission;
        return null;
    }

    /// <summary>Stage 10: settles the admission with what the request actually used, and updates the anomaly baselines.</summary>
    public async ValueTask SettleAsync(Exchange exchange)
    {
        if (exchange.Admission is not { } admission)
        {
            return;
        }

        try
        {
            await _admission.SettleAsync(admission, new ExchangeCharges(exchange.Cost, exchange.Usage.InputTokens + exchange.Usage.OutputTokens));
            if (_anomalies is not null)
            {
                await _anomalies.ObserveAsync(exchange);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The answer is already out: a counter outage here must not lose the request's log record. Reservations
            // and leases held in shared counters expire by themselves.
            if (_logger is not null)
            {
                LogSettleFailed(_logger, exchange.Id, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not settle governance counters for request {RequestId}; held reservations expire on their own.")]
    private static partial void LogSettleFailed(ILogger logger, string requestId, Exception exception);

    /// <summary>
    /// Stage 3 for policy sets whose conditions read input guardrail verdicts: decided after inspect-in, with the
    /// verdicts as <c>context.guardrails</c> (name → pass, flagged, redacted, routed, not_scanned, …).
    /// </summary>
    public GatewayError? AuthorizeWithVerdicts(Exchange exchange, string action, string model, RouteTarget[] targets, CallFacts facts, long estimatedTokens)
    {
        if (exchange.Principal is not { Kind: not PrincipalKind.Open } || !DecidedAfterInspection(exchange))
        {
            return null;
        }

        var verdicts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var verdict in exchange.Guardrails?.Verdicts ?? [])
        {
            verdicts[verdict.Guardrail] = verdict.Outcome switch
            {
                Inspection.GuardrailOutcome.Pass => "pass",
                Inspection.GuardrailOutcome.Flagged => "flagged",
                Inspection.GuardrailOutcome.Redacted => "redacted",
                Inspection.GuardrailOutcome.Routed => "routed",
                Inspection.GuardrailOutcome.NotScanned => "not_scanned",
                Inspection.GuardrailOutcome.FailedClosed => "failed_closed",
                _ => "blocked",
            };
        }

        var denied = Authorize(exchange, action, model, targets, facts, estimatedTokens, verdicts);
        if (denied is not null)
        {
            _metrics.GovernanceRejection(denied.Code!);
        }

        return denied;
    }

    /// <summary>
    /// Stage 3 again for a model a guardrail's <c>route</c> verdict switched to: the key must be allowed that model
    /// and the policies must permit it, like any model the caller asks for.
    /// </summary>
    public GatewayError? AuthorizeReroute(Exchange exchange, string model, RouteTarget[] targets, CallFacts facts, long estimatedTokens)
    {
        if (exchange.Principal is not { Kind: not PrincipalKind.Open } principal)
        {
            return null;
        }

        var denied = ModelAccess.Check(principal, model)
            ?? (DecidedAfterInspection(exchange) ? null : Authorize(exchange, PolicyActions.InvokeModel, model, targets, facts, estimatedTokens, null));
        if (denied is not null)
        {
            _metrics.GovernanceRejection(denied.Code!);
        }

        return denied;
    }

    private bool DecidedAfterInspection(Exchange exchange) => _policies.ReadsVerdictsFor(exchange.Snapshot, _state.Current);

    /// <summary>The policy decision: null when allowed (or no policies exist); a 403 naming the determining policies otherwise.</summary>
    private GatewayError? Authorize(Exchange exchange, string action, string model, RouteTarget[] targets, CallFacts facts, long estimatedTokens, IReadOnlyDictionary<string, string>? verdicts)
    {
        if (_policies.SetFor(exchange.Snapshot, _state.Current) is not { } set)
        {
            return null;
        }

        var principal = exchange.Principal!;
        var (entity, ancestors) = PolicyEvaluator.EntityOf(principal);
        var (resource, parents) = PolicyEvaluator.ResourceOf(exchange.Snapshot, model, targets);
        var session = exchange.Http.Request.Headers["x-gatehouse-session-id"].ToString();
        var decision = set.Evaluate(new PolicyRequest
        {
            Principal = entity,
            PrincipalAncestors = ancestors,
            PrincipalTags = principal.Tags,
            PrincipalRoles = principal.Roles,
            Action = action,
            Resource = resource,
            ResourceParents = parents,
            Context = new PolicyContext
            {
                Time = _time.GetUtcNow(),
                SourceIp = exchange.Http.Connection.RemoteIpAddress?.ToString(),
                EstimatedTokens = estimatedTokens,
                HasTools = facts.HasTools,
                HasImages = facts.HasImages,
                Stream = facts.Stream,
                SessionId = session.Length == 0 ? null : session,
                Guardrails = verdicts ?? new Dictionary<string, string>(0),
            },
        });
        _metrics.PolicyDecision(decision.Allowed, decision.ShadowDiffers);
        var target = resource.ToString();
        if (decision.ShadowDiffers)
        {
            // A shadow policy would have changed the outcome: record what it would have done, enforce nothing.
            var shadow = decision.Shadow!;
            Audit(exchange, action, target, shadow.Allowed ? "shadow_allow" : "shadow_deny", shadow.Reason, Policies(shadow.DeterminingPolicies));
        }

        if (decision.Allowed)
        {
            return null;
        }

        Audit(exchange, action, target, "denied", decision.Reason, Policies(decision.DeterminingPolicies));
        return new GatewayError(ErrorKind.PermissionDenied, decision.Reason, "policy_denied");
    }

    /// <summary>Picks the vault keys (a team's own, or the vault's shared one) for the providers that may serve.</summary>
    private GatewayError? VaultKeys(Exchange exchange, RouteTarget[] targets)
    {
        var directory = _state.Current;
        if (directory.Credentials.Count == 0)
        {
            return null;
        }

        foreach (var target in targets)
        {
            var (found, key) = directory.ApiKeyFor(target.Provider.Name, exchange.Principal!.TeamId);
            if (!found)
            {
                continue;
            }

            if (key is null)
            {
                return new GatewayError(
                    ErrorKind.UpstreamUnavailable,
                    $"The vault credential for provider '{target.Provider.Name}' cannot be opened on this gateway (its master key is not configured).",
                    "credential_unavailable");
            }

            (exchange.VaultKeys ??= new Dictionary<string, string>(StringComparer.Ordinal))[target.Provider.Name] = key;
        }

        return null;
    }

    private static string Policies(IReadOnlyList<string> ids)
    {
        var json = new StringBuilder("{\"policies\":[");
        for (var i = 0; i < ids.Count; i++)
        {
            json.Append(i == 0 ? "\"" : ",\"").Append(System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(ids[i])).Append('"');
        }

        return json.Append("]}").ToString();
    }

    private void Audit(Exchange exchange, string action, string target, string outcome, string reason, string? details = null) => _audit.Enqueue(new AuditEntry
    {
        Time = _audit.Time.GetUtcNow(),
        Actor = exchange.Principal?.Actor ?? "anonymous",
        Action = action,
        Target = target,
        Outcome = outcome,
        Reason = reason,
        RequestId = exchange.Id,
        SourceIp = exchange.Http.Connection.RemoteIpAddress?.ToString(),
        Details = details,
    });
}
