using System.Buffers;
using System.Text;
using System.Text.Json;
using Gatehouse.Governance.Audit;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Pipeline;

namespace Gatehouse.Server.Inspection;

/// <summary>Writes an audit entry for every request a guardrail refused (enqueue only).</summary>
public sealed class GuardrailAudit
{
    private readonly AuditWriter _writer;

    /// <summary>Creates the auditor.</summary>
    public GuardrailAudit(AuditWriter writer) => _writer = writer;

    /// <summary>Records a refusal: actor, guardrail, stage, reason and request id; never the content.</summary>
    public void Refused(Exchange exchange, CompiledGuardrail g, GuardrailStage stage, GuardrailOutcome outcome, string? reason)
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
            json.WriteEndObject();
        }

        _writer.Enqueue(new AuditEntry
        {
            Time = _writer.Time.GetUtcNow(),
            Actor = exchange.Principal?.Actor ?? "anonymous",
            Action = "guardrail.block",
            Target = $"guardrail:{g.Name}",
            Outcome = "denied",
            Reason = reason,
            RequestId = exchange.Id,
            SourceIp = exchange.Http.Connection.RemoteIpAddress?.ToString(),
            Details = Encoding.UTF8.GetString(details.WrittenSpan),
        });
    }
}
