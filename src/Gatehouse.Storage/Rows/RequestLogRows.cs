using System.Data.Common;
using System.Globalization;
using Gatehouse.Storage.RequestLogs;
using static Gatehouse.Storage.Rows.StoredValues;

namespace Gatehouse.Storage.Rows;

/// <summary>The request-log row, shared by SQLite and PostgreSQL.</summary>
internal static class RequestLogRows
{
    public const string Insert = """
        INSERT INTO request_logs (id, ts_ms, route, model_requested, provider, model_served, status, stream,
            latency_ms, ttfb_ms, input_tokens, output_tokens, cached_input_tokens, cost_usd, attempts, error_code, error_message, guardrails, routing)
        VALUES (@id, @ts, @route, @mr, @p, @ms, @status, @stream, @lat, @ttfb, @in, @out, @cached, @cost, @att, @ec, @em, @gr, @rt)
        ON CONFLICT (id) DO NOTHING
        """;

    public const string Select = "SELECT id, ts_ms, route, model_requested, provider, model_served, status, stream, latency_ms, ttfb_ms, "
        + "input_tokens, output_tokens, cached_input_tokens, cost_usd, attempts, error_code, error_message, guardrails, routing FROM request_logs";

    public static (string, object)[] Of(RequestLogRecord r) =>
    [
        ("@id", r.Id), ("@ts", r.Timestamp.ToUnixTimeMilliseconds()), ("@route", r.Route), ("@mr", Nullable(r.ModelRequested)),
        ("@p", Nullable(r.Provider)), ("@ms", Nullable(r.ModelServed)), ("@status", r.Status), ("@stream", r.Stream ? 1 : 0),
        ("@lat", r.LatencyMs), ("@ttfb", Nullable(r.TtfbMs)), ("@in", r.InputTokens), ("@out", r.OutputTokens),
        ("@cached", r.CachedInputTokens), ("@cost", r.CostUsd is { } cost ? cost.ToString(CultureInfo.InvariantCulture) : DBNull.Value),
        ("@att", r.Attempts), ("@ec", Nullable(r.ErrorCode)), ("@em", Nullable(r.ErrorMessage)),
        ("@gr", Nullable(r.Guardrails)), ("@rt", Nullable(r.Routing)),
    ];

    public static RequestLogRecord Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        Route = reader.GetString(2),
        ModelRequested = String(reader, 3),
        Provider = String(reader, 4),
        ModelServed = String(reader, 5),
        Status = reader.GetInt32(6),
        Stream = reader.GetInt32(7) != 0,
        LatencyMs = reader.GetDouble(8),
        TtfbMs = Double(reader, 9),
        InputTokens = reader.GetInt64(10),
        OutputTokens = reader.GetInt64(11),
        CachedInputTokens = reader.GetInt64(12),
        CostUsd = reader.IsDBNull(13) ? null : decimal.Parse(reader.GetString(13), CultureInfo.InvariantCulture),
        Attempts = reader.GetInt32(14),
        ErrorCode = String(reader, 15),
        ErrorMessage = String(reader, 16),
        Guardrails = String(reader, 17),
        Routing = String(reader, 18),
    };
}
