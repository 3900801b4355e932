using System.Globalization;
using Gatehouse.Storage.RequestLogs;
using Gatehouse.Storage.Rows;
using Gatehouse.Storage.Sql;
using SQLitePCL;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// The request log in the embedded SQLite file. Batches are written through one prepared statement bound by index
/// with spans: the ADO.NET path boxed every value and, per parameter and row, allocated a binder and the parameter
/// name's UTF-8 bytes, which made the log writer a fifth of the gateway's allocations.
/// </summary>
public sealed class SqliteRequestLogStore : SqlRequestLogStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates the store.</summary>
    public SqliteRequestLogStore(SqliteDatabase database)
        : base(database) => _database = database;

    /// <inheritdoc />
    public override async Task WriteBatchAsync(IReadOnlyList<RequestLogRecord> records, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Insert(connection.Handle!, records);
        await transaction.CommitAsync(cancellationToken);
    }

    private static void Insert(sqlite3 db, IReadOnlyList<RequestLogRecord> records)
    {
        Check(db, raw.sqlite3_prepare_v2(db, RequestLogRows.Insert, out var statement));
        using (statement)
        {
            var at = InsertParameters.Resolve(statement);
            Span<char> cost = stackalloc char[64];
            foreach (var r in records)
            {
                Text(db, statement, at.Id, r.Id);
                Check(db, raw.sqlite3_bind_int64(statement, at.Timestamp, r.Timestamp.ToUnixTimeMilliseconds()));
                Text(db, statement, at.Route, r.Route);
                Text(db, statement, at.ModelRequested, r.ModelRequested);
                Text(db, statement, at.Provider, r.Provider);
                Text(db, statement, at.ModelServed, r.ModelServed);
                Check(db, raw.sqlite3_bind_int64(statement, at.Status, r.Status));
                Check(db, raw.sqlite3_bind_int64(statement, at.Stream, r.Stream ? 1 : 0));
                Check(db, raw.sqlite3_bind_double(statement, at.Latency, r.LatencyMs));
                Check(db, r.TtfbMs is { } ttfb ? raw.sqlite3_bind_double(statement, at.Ttfb, ttfb) : raw.sqlite3_bind_null(statement, at.Ttfb));
                Check(db, raw.sqlite3_bind_int64(statement, at.InputTokens, r.InputTokens));
                Check(db, raw.sqlite3_bind_int64(statement, at.OutputTokens, r.OutputTokens));
                Check(db, raw.sqlite3_bind_int64(statement, at.CachedInputTokens, r.CachedInputTokens));
                if (r.CostUsd is { } usd && usd.TryFormat(cost, out var length, default, CultureInfo.InvariantCulture))
                {
                    Check(db, raw.sqlite3_bind_text16(statement, at.Cost, cost[..length]));
                }
                else
                {
                    Text(db, statement, at.Cost, r.CostUsd?.ToString(CultureInfo.InvariantCulture));
                }

                Check(db, raw.sqlite3_bind_int64(statement, at.Attempts, r.Attempts));
                Text(db, statement, at.ErrorCode, r.ErrorCode);
                Text(db, statement, at.ErrorMessage, r.ErrorMessage);
                Text(db, statement, at.Guardrails, r.Guardrails);
                Text(db, statement, at.Routing, r.Routing);
                var step = raw.sqlite3_step(statement);
                if (step != raw.SQLITE_DONE)
                {
                    Check(db, step);
                }

                Check(db, raw.sqlite3_reset(statement));
            }
        }
    }

    private static void Text(sqlite3 db, sqlite3_stmt statement, int index, string? value) =>
        Check(db, value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text16(statement, index, value.AsSpan()));

    private static void Check(sqlite3 db, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite error {result} writing the request log: {raw.sqlite3_errmsg(db).utf8_to_string()}");
        }
    }

    /// <summary>The insert's parameter indexes, looked up by name once per batch.</summary>
    private readonly record struct InsertParameters(
        int Id, int Timestamp, int Route, int ModelRequested, int Provider, int ModelServed, int Status, int Stream, int Latency,
        int Ttfb, int InputTokens, int OutputTokens, int CachedInputTokens, int Cost, int Attempts, int ErrorCode, int ErrorMessage,
        int Guardrails, int Routing)
    {
        public static InsertParameters Resolve(sqlite3_stmt statement)
        {
            int At(string name)
            {
                var index = raw.sqlite3_bind_parameter_index(statement, name);
                return index > 0 ? index : throw new InvalidOperationException($"The request log insert has no parameter {name}.");
            }

            return new(
                At("@id"), At("@ts"), At("@route"), At("@mr"), At("@p"), At("@ms"), At("@status"), At("@stream"), At("@lat"),
                At("@ttfb"), At("@in"), At("@out"), At("@cached"), At("@cost"), At("@att"), At("@ec"), At("@em"), At("@gr"), At("@rt"));
        }
    }
}
