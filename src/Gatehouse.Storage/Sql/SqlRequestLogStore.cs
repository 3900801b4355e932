using Gatehouse.Storage.RequestLogs;
using Gatehouse.Storage.Rows;
using static Gatehouse.Storage.Sql.SqlCommands;

namespace Gatehouse.Storage.Sql;

/// <summary>The request log in a relational database: batches in one transaction, filtered reads newest first.</summary>
public abstract class SqlRequestLogStore : IRequestLogStore
{
    private readonly SqlDatabase _database;

    /// <summary>Creates the store over a database.</summary>
    protected SqlRequestLogStore(SqlDatabase database) => _database = database;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => _database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public virtual async Task WriteBatchAsync(IReadOnlyList<RequestLogRecord> records, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Create(connection, transaction, RequestLogRows.Insert);
        foreach (var record in records)
        {
            Rebind(command, RequestLogRows.Of(record));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RequestLogRecord>> QueryAsync(RequestLogQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<(string, object)>();
        if (query.Since is { } since)
        {
            where.Add("ts_ms >= @since");
            parameters.Add(("@since", since.ToUnixTimeMilliseconds()));
        }

        if (query.Until is { } until)
        {
            where.Add("ts_ms < @until");
            parameters.Add(("@until", until.ToUnixTimeMilliseconds()));
        }

        if (query.Model is { } model)
        {
            where.Add("(model_requested = @model OR model_served = @model OR (provider || '/' || model_served) = @model)");
            parameters.Add(("@model", model));
        }

        if (query.Status is { } status)
        {
            where.Add("status = @status");
            parameters.Add(("@status", status));
        }

        if (query.ErrorsOnly)
        {
            where.Add("status >= 400");
        }

        var sql = RequestLogRows.Select
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty)
            + " ORDER BY ts_ms DESC, id LIMIT @limit";
        parameters.Add(("@limit", Math.Clamp(query.Limit, 1, 10_000)));
        return await SqlCommands.QueryAsync(_database, sql, RequestLogRows.Read, cancellationToken, [.. parameters]);
    }
}
