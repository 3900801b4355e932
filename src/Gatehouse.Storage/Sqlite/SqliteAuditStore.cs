using System.Runtime.CompilerServices;
using Gatehouse.Governance.Audit;
using Gatehouse.Storage.Audit;
using Microsoft.Data.Sqlite;
using static Gatehouse.Storage.Sqlite.SqliteValues;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// The audit trail in the embedded SQLite file. Appends run in an IMMEDIATE transaction with <c>synchronous=FULL</c>,
/// so an acknowledged record is on disk (fsync) before <see cref="AppendAsync"/> returns.
/// </summary>
public sealed class SqliteAuditStore : IAuditStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates the store.</summary>
    public SqliteAuditStore(SqliteDatabase database) => _database = database;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await SqliteMigrator.MigrateAsync(connection, cancellationToken);
    }

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        using (var durable = connection.CreateCommand())
        {
            durable.CommandText = "PRAGMA synchronous=FULL";
            await durable.ExecuteNonQueryAsync(cancellationToken);
        }

        using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var (sequence, previous) = await ReadHeadAsync(connection, cancellationToken);
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO audit_log (seq, ts_ms, actor, action, target, outcome, reason, request_id, source_ip, details, prev_hash, hash)
                VALUES ($seq, $ts, $actor, $action, $target, $outcome, $reason, $rid, $ip, $details, $prev, $hash)
                """;
            foreach (var entry in entries)
            {
                var record = AuditChain.Append(++sequence, entry, previous ?? AuditChain.Genesis);
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$seq", record.Sequence);
                insert.Parameters.AddWithValue("$ts", entry.Time.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$actor", entry.Actor);
                insert.Parameters.AddWithValue("$action", entry.Action);
                insert.Parameters.AddWithValue("$target", entry.Target);
                insert.Parameters.AddWithValue("$outcome", entry.Outcome);
                insert.Parameters.AddWithValue("$reason", Nullable(entry.Reason));
                insert.Parameters.AddWithValue("$rid", Nullable(entry.RequestId));
                insert.Parameters.AddWithValue("$ip", Nullable(entry.SourceIp));
                insert.Parameters.AddWithValue("$details", Nullable(entry.Details));
                insert.Parameters.AddWithValue("$prev", record.PreviousHash);
                insert.Parameters.AddWithValue("$hash", record.Hash);
                await insert.ExecuteNonQueryAsync(cancellationToken);
                previous = record.Hash;
            }

            using var head = connection.CreateCommand();
            head.CommandText = "UPDATE audit_head SET seq = $seq, hash = $hash WHERE id = 1";
            head.Parameters.AddWithValue("$seq", sequence);
            head.Parameters.AddWithValue("$hash", previous!);
            await head.ExecuteNonQueryAsync(cancellationToken);
            using var commit = connection.CreateCommand();
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditRecord> ReadAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, ts_ms, actor, action, target, outcome, reason, request_id, source_ip, details, prev_hash, hash FROM audit_log WHERE seq >= $from ORDER BY seq";
        command.Parameters.AddWithValue("$from", fromSequence);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entry = new AuditEntry
            {
                Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Actor = reader.GetString(2),
                Action = reader.GetString(3),
                Target = reader.GetString(4),
                Outcome = reader.GetString(5),
                Reason = String(reader, 6),
                RequestId = String(reader, 7),
                SourceIp = String(reader, 8),
                Details = String(reader, 9),
            };
            yield return new AuditRecord(reader.GetInt64(0), entry, (byte[])reader.GetValue(10), (byte[])reader.GetValue(11));
        }
    }

    /// <inheritdoc />
    public async Task<(long Count, byte[]? HeadHash)> HeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ReadHeadAsync(connection, cancellationToken);
    }

    private static async Task<(long Count, byte[]? Hash)> ReadHeadAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, hash FROM audit_head WHERE id = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1)) : (0, null);
    }
}
