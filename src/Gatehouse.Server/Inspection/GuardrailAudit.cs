using System.Buffers;
using System.Text;
using System.Text.Json;
using Gatehouse.Governance.Audit;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Pipeline;

namespace Gatehouse.Server.Inspection;

/// <summary>Writes an audit entry for every request a guardrail refused or routed to another model (enqueue only).</summary>
public sealed class GuardrailAudit
{
    private readonly AuditWriter _writer;

    /// <summary>Creates the auditor.</summary>
    public GuardrailAudit(AuditWriter writer) => _writer = writer;

    /// <summary>Records a refusal: actor, guardrail, stage, reason and request id; never the content.</summary>
    public void Refused(Exchange exchange, CompiledGuardrail g, GuardrailStage stage, GuardrailOutcome outcome, string? reason) =>
        Write(exchange, g, stage, outcome, reason, "guardrail.block", "denied");

    /// <summary>Records a route verdict: the request is served by the guardrail's <c>route_to</c> model instead.</summary>
    public void Routed(Exchange exchange, CompiledGuardrail g, GuardrailStage stage, string? reason) =>
        Write(exchange, g, stage, GuardrailOutcome.Routed, reason, "guardrail.route", "rerouted");

    private void Write(Exchange exchange, CompiledGuardrail g, GuardrailStage stage, GuardrailOutcome outcome, string? reason, string action, string result)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(g);
        var details = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(details))
        {
            json.WriteStartObject();
            json.WriteString("stage", GuardrailNames.Stage(stage));
            json.WriteString("detector", g.DetectorName);
            json.WriteString("outcome", GuardrailNames.Outcome(outcome));
            json.WriteString("model", exchange.ModelRequested);
            if (outcome == GuardrailOutcome.Routed)
            {
                json.WriteString("route_to", g.RouteTo);
            }

            json.WriteEndObject();
        }

        _writer.Enqueue(new AuditEntry
        {
            Time = _writer.Time.GetUtcNow(),
            Actor = exchange.Principal?.Actor ?? "anonymous",
            Action = action,
            Target = $"guardrail:{g.Name}",
            Outcome = result,
            Reason = reason,
            RequestId = exchange.Id,
            SourceIp = exchange.Http.Connection.RemoteIpAddress?.ToString(),
            Details = Encoding.UTF8.GetString(details.WrittenSpan),
        });
    }
}
