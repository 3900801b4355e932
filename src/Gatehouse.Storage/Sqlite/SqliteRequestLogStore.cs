using System.Globalization;
using Gatehouse.Storage.RequestLogs;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>The request log in the embedded SQLite file.</summary>
public sealed class SqliteRequestLogStore : IRequestLogStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates the store.</summary>
    public SqliteRequestLogStore(SqliteDatabase database) => _database = database;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await SqliteMigrator.MigrateAsync(connection, cancellationToken);
    }

    /// <inheritdoc />
    public async Task WriteBatchAsync(IReadOnlyList<RequestLogRecord> records, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR REPLACE INTO request_logs (id, ts_ms, route, model_requested, provider, model_served, status, stream,
                latency_ms, ttfb_ms, input_tokens, output_tokens, cached_input_tokens, cost_usd, attempts, error_code, error_message, guardrails)
            VALUES ($id, $ts, $route, $mr, $p, $ms, $status, $stream, $lat, $ttfb, $in, $out, $cached, $cost, $att, $ec, $em, $gr)
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in (ReadOnlySpan<string>)["$id", "$ts", "$route", "$mr", "$p", "$ms", "$status", "$stream", "$lat", "$ttfb", "$in", "$out", "$cached", "$cost", "$att", "$ec", "$em", "$gr"])
        {
            p[name] = command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        foreach (var r in records)
        {
            p["$id"].Value = r.Id;
            p["$ts"].Value = r.Timestamp.ToUnixTimeMilliseconds();
            p["$route"].Value = r.Route;
            p["$mr"].Value = (object?)r.ModelRequested ?? DBNull.Value;
            p["$p"].Value = (object?)r.Provider ?? DBNull.Value;
            p["$ms"].Value = (object?)r.ModelServed ?? DBNull.Value;
            p["$status"].Value = r.Status;
            p["$stream"].Value = r.Stream ? 1 : 0;
            p["$lat"].Value = r.LatencyMs;
            p["$ttfb"].Value = (object?)r.TtfbMs ?? DBNull.Value;
            p["$in"].Value = r.InputTokens;
            p["$out"].Value = r.OutputTokens;
            p["$cached"].Value = r.CachedInputTokens;
            p["$cost"].Value = r.CostUsd is { } cost ? cost.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
            p["$att"].Value = r.Attempts;
            p["$ec"].Value = (object?)r.ErrorCode ?? DBNull.Value;
            p["$em"].Value = (object?)r.ErrorMessage ?? DBNull.Value;
            p["$gr"].Value = (object?)r.Guardrails ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RequestLogRecord>> QueryAsync(RequestLogQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Since is { } since)
        {
            where.Add("ts_ms >= $since");
            command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        }

        if (query.Until is { } until)
        {
            where.Add("ts_ms < $until");
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        }

        if (query.Model is { } model)
        {
            where.Add("(model_requested = $model OR model_served = $model OR (provider || '/' || model_served) = $model)");
            command.Parameters.AddWithValue("$model", model);
        }

        if (query.Status is { } status)
        {
            where.Add("status = $status");
            command.Parameters.AddWithValue("$status", status);
        }

        if (query.ErrorsOnly)
        {
            where.Add("status >= 400");
        }

        command.CommandText = "SELECT id, ts_ms, route, model_requested, provider, model_served, status, stream, latency_ms, ttfb_ms, "
            + "input_tokens, output_tokens, cached_input_tokens, cost_usd, attempts, error_code, error_message, guardrails FROM request_logs"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty)
            + " ORDER BY ts_ms DESC, id LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 10_000));
        var results = new List<RequestLogRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new RequestLogRecord
            {
                Id = reader.GetString(0),
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Route = reader.GetString(2),
                ModelRequested = reader.IsDBNull(3) ? null : reader.GetString(3),
                Provider = reader.IsDBNull(4) ? null : reader.GetString(4),
                ModelServed = reader.IsDBNull(5) ? null : reader.GetString(5),
                Status = reader.GetInt32(6),
                Stream = reader.GetInt32(7) != 0,
                LatencyMs = reader.GetDouble(8),
                TtfbMs = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                InputTokens = reader.GetInt64(10),
                OutputTokens = reader.GetInt64(11),
                CachedInputTokens = reader.GetInt64(12),
                CostUsd = reader.IsDBNull(13) ? null : decimal.Parse(reader.GetString(13), CultureInfo.InvariantCulture),
                Attempts = reader.GetInt32(14),
                ErrorCode = reader.IsDBNull(15) ? null : reader.GetString(15),
                ErrorMessage = reader.IsDBNull(16) ? null : reader.GetString(16),
                Guardrails = reader.IsDBNull(17) ? null : reader.GetString(17),
            });
        }

        return results;
    }
}
