using System.Text.Json;
using Gatehouse.Storage.RequestLogs;

namespace Gatehouse.Server.Http;

/// <summary>Writes request log records as JSON (admin API and <c>gatehouse logs --json</c>).</summary>
public static class RequestLogJson
{
    /// <summary>Writes one record as an object.</summary>
    public static void Write(Utf8JsonWriter writer, RequestLogRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteString("timestamp", record.Timestamp);
        writer.WriteString("route", record.Route);
        writer.WriteString("model_requested", record.ModelRequested);
        writer.WriteString("provider", record.Provider);
        writer.WriteString("model_served", record.ModelServed);
        writer.WriteNumber("status", record.Status);
        writer.WriteBoolean("stream", record.Stream);
        writer.WriteNumber("latency_ms", Math.Round(record.LatencyMs, 3));
        if (record.TtfbMs is { } ttfb)
        {
            writer.WriteNumber("ttfb_ms", Math.Round(ttfb, 3));
        }
        else
        {
            writer.WriteNull("ttfb_ms");
        }

        writer.WriteNumber("input_tokens", record.InputTokens);
        writer.WriteNumber("output_tokens", record.OutputTokens);
        writer.WriteNumber("cached_input_tokens", record.CachedInputTokens);
        if (record.CostUsd is { } cost)
        {
            writer.WriteNumber("cost_usd", cost);
        }
        else
        {
            writer.WriteNull("cost_usd");
        }

        writer.WriteNumber("attempts", record.Attempts);
        writer.WriteString("error_code", record.ErrorCode);
        writer.WriteString("error_message", record.ErrorMessage);
        writer.WriteString("guardrails", record.Guardrails);
        if (record.Routing is { } routing)
        {
            writer.WritePropertyName("routing");
            writer.WriteRawValue(routing, skipInputValidation: true);
        }
        else
        {
            writer.WriteNull("routing");
        }

        writer.WriteEndObject();
    }
}
