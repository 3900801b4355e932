using System.Text;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Server.Pipeline;

/// <summary>The request log's <c>routing</c> field: attempts, skipped targets, fallbacks and a guardrail's reroute of one exchange, as JSON.</summary>
public static class RoutingTrace
{
    /// <summary>The JSON object, or null when the exchange never reached the routing stage.</summary>
    public static string? Json(Exchange exchange)
    {
        if (exchange.AttemptLog is null && exchange.Skipped is null && exchange.RouteDecision is null)
        {
            return null;
        }

        using var buffer = new PooledBufferWriter(512);
        var writer = ReusedJsonWriter.Rent(buffer, relaxed: false);
        writer.WriteStartObject();
        if (exchange.RouteDecision is { } decision)
        {
            writer.WriteString("decision", decision);
        }

        writer.WriteStartArray("attempts");
        foreach (var attempt in exchange.AttemptLog ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("target", attempt.Target);
            writer.WriteNumber("status", attempt.Status);
            writer.WriteNumber("latency_ms", attempt.LatencyMs);
            if (attempt.ErrorCode is { } code)
            {
                writer.WriteString("error", code);
                writer.WriteString("class", attempt.ErrorClass);
            }

            if (attempt.Hedge)
            {
                writer.WriteBoolean("hedge", true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (exchange.Skipped is { } skipped)
        {
            writer.WriteStartArray("skipped");
            foreach (var skip in skipped)
            {
                writer.WriteStartObject();
                writer.WriteString("target", skip.Target);
                writer.WriteString("reason", skip.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (exchange.Fallbacks is { } fallbacks)
        {
            writer.WriteStartArray("fallbacks");
            foreach (var fallback in fallbacks)
            {
                writer.WriteStringValue(fallback);
            }

            writer.WriteEndArray();
        }

        if (exchange.Reroute is { Pending: false } reroute)
        {
            // An output guardrail rejected the answer of `from` and the request was served again by `to`; the
            // rejected answer's usage and cost are part of the request's totals.
            writer.WriteStartObject("guardrail_route");
            writer.WriteString("guardrail", reroute.Guardrail.Name);
            writer.WriteString("from", reroute.RejectedTarget);
            writer.WriteString("to", reroute.To);
            writer.WriteNumber("input_tokens", reroute.Usage.InputTokens);
            writer.WriteNumber("output_tokens", reroute.Usage.OutputTokens);
            if (reroute.Cost is { } cost)
            {
                writer.WriteNumber("cost_usd", cost);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        ReusedJsonWriter.Return(writer, relaxed: false);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
