using System.Runtime.CompilerServices;
using Gatehouse.Governance.Audit;
using Gatehouse.Storage.Audit;
using Gatehouse.Storage.Rows;
using static Gatehouse.Storage.Sql.SqlCommands;

namespace Gatehouse.Storage.Sql;

/// <summary>
/// The hash-chained audit trail in a relational database. An append reads the chain head inside its transaction (the
/// database serializes appenders: an IMMEDIATE transaction on SQLite, <c>SELECT … FOR UPDATE</c> on PostgreSQL), so
/// any number of writers — threads or replicas — extend one chain; it returns once the transaction is durable.
/// </summary>
public abstract class SqlAuditStore : IAuditStore
{
    private readonly SqlDatabase _database;

    /// <summary>Creates the store over a database.</summary>
    protected SqlAuditStore(SqlDatabase database) => _database = database;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => _database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _database.BeginAuditAppendAsync(connection, cancellationToken);
        var (sequence, previous) = await ReadHeadAsync(connection, transaction, _database.AuditHeadForAppend, cancellationToken);
        await using (var insert = Create(connection, transaction, StoredRows.InsertAudit))
        {
            foreach (var entry in entries)
            {
                var record = AuditChain.Append(++sequence, entry.Storable(), previous ?? AuditChain.Genesis);
                Bind(insert, StoredRows.Of(record));
                await insert.ExecuteNonQueryAsync(cancellationToken);
                previous = record.Hash;
            }
        }

        await using (var head = Create(connection, transaction, "UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1", [("@seq", sequence), ("@hash", previous!)]))
        {
            await head.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditRecord> ReadAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = Create(connection, null, StoredRows.SelectAudit, [("@from", fromSequence)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return StoredRows.Audit(reader);
        }
    }

    /// <inheritdoc />
    public async Task<(long Count, byte[]? HeadHash)> HeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ReadHeadAsync(connection, null, "SELECT seq, hash FROM audit_head WHERE id = 1", cancellationToken);
    }

    private static async Task<(long Count, byte[]? Hash)> ReadHeadAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Create(connection, transaction, sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.IsDBNull(1) ? null : StoredValues.Bytes(reader, 1)) : (0, null);
    }
}
