using Gatehouse.Core;
using Gatehouse.Governance.Audit;
using Gatehouse.Providers.Catalog;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Telemetry;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Stages 2–4 and 10 as the pipelines call them: identify the caller, authorize the model, admit against limits and
/// budgets, and settle at the end. Every refusal is counted, and denials and rejections are audited.
/// </summary>
public sealed class GovernanceGate
{
    private readonly CallerIdentifier _identifier;
    private readonly AdmissionControl _admission;
    private readonly AuditWriter _audit;
    private readonly GatewayMetrics _metrics;

    /// <summary>Creates the gate.</summary>
    public GovernanceGate(CallerIdentifier identifier, AdmissionControl admission, AuditWriter audit, GatewayMetrics metrics)
    {
        _identifier = identifier;
        _admission = admission;
        _audit = audit;
        _metrics = metrics;
    }

    /// <summary>Stage 2: identifies the caller into <see cref="Exchange.Principal"/>; returns the 401/403 otherwise.</summary>
    public GatewayError? Identify(Exchange exchange)
    {
        var (principal, error) = _identifier.Identify(exchange.Http);
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

    /// <summary>Stages 3–4: authorizes <paramref name="action"/> on <paramref name="model"/> and admits the request.</summary>
    public async ValueTask<GatewayError?> AdmitAsync(Exchange exchange, string action, string model, long estimatedPromptTokens, int? maxOutputTokens, IReadOnlyList<ModelInfo?> targets)
    {
        var principal = exchange.Principal!;
        if (ModelAccess.Check(principal, model) is { } denied)
        {
            _metrics.GovernanceRejection(denied.Code!);
            Audit(exchange, action, string.Concat("model:", model), "denied", denied.Message);
            return denied;
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
                Targets = targets,
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

    /// <summary>Stage 10: settles the admission with what the request actually used.</summary>
    public ValueTask SettleAsync(Exchange exchange) => exchange.Admission is { } admission
        ? _admission.SettleAsync(admission, new ExchangeCharges(exchange.Cost, exchange.Usage.InputTokens + exchange.Usage.OutputTokens))
        : ValueTask.CompletedTask;

    private void Audit(Exchange exchange, string action, string target, string outcome, string reason) => _audit.Enqueue(new AuditEntry
    {
        Time = _audit.Time.GetUtcNow(),
        Actor = exchange.Principal?.Actor ?? "anonymous",
        Action = action,
        Target = target,
        Outcome = outcome,
        Reason = reason,
        RequestId = exchange.Id,
        SourceIp = exchange.Http.Connection.RemoteIpAddress?.ToString(),
    });
}
