using System.Data.Common;
using Gatehouse.Storage.Sql;
using Npgsql;

namespace Gatehouse.Storage.Postgres;

/// <summary>
/// A PostgreSQL database shared by every replica: a pooled <see cref="NpgsqlDataSource"/>, migrations under an
/// advisory lock, and <c>NOTIFY gatehouse_changes</c> in the same transaction as every governance change.
/// </summary>
public sealed class PostgresDatabase : SqlDatabase, IAsyncDisposable, IDisposable
{
    /// <summary>The channel every governance change is announced on.</summary>
    public const string ChangeChannel = "gatehouse_changes";

    private readonly NpgsqlDataSource _source;

    /// <summary>Creates the database handle from a <c>postgres://</c> URL; throws <see cref="ArgumentException"/> when it is malformed.</summary>
    public PostgresDatabase(string url)
    {
        var builder = PostgresUrl.TryParse(url, out var schema, out var error)
            ?? throw new ArgumentException($"storage.url \"{PostgresUrl.Redact(url)}\": {error}.", nameof(url));
        Schema = schema ?? "public";
        Description = $"postgres://{builder.Host}:{builder.Port}/{builder.Database} (schema {Schema})";
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
        ListenConnectionString = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false, KeepAlive = 10 }.ConnectionString;
    }

    /// <summary>The schema the tables live in (<c>public</c> unless the URL names one).</summary>
    public string Schema { get; }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override string AuditHeadForAppend => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";

    private string ListenConnectionString { get; }

    /// <summary>Opens the change listener's own connection (not pooled: it stays open and listens).</summary>
    public async Task<NpgsqlConnection> OpenListenerAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ListenConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>The data source (for tests and tools).</summary>
    public NpgsqlDataSource DataSource => _source;

    /// <inheritdoc />
    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc />
    public override Task MigrateAsync(CancellationToken cancellationToken) => PostgresMigrator.MigrateAsync(this, cancellationToken);

    /// <inheritdoc />
    public override async Task MarkChangedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // NOTIFY is delivered on commit, so a listener never sees a change it cannot read yet.
        await using var bump = connection.CreateCommand();
        bump.Transaction = transaction;
        bump.CommandText = $"WITH v AS (UPDATE change_version SET version = version + 1 WHERE id = 1 RETURNING version) SELECT pg_notify('{ChangeChannel}', version::text) FROM v";
        await bump.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask<DbTransaction> BeginAuditAppendAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // synchronous_commit on: the commit returns once the WAL record is flushed (and, with synchronous standbys, replicated).
        var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        await using var durable = connection.CreateCommand();
        durable.Transaction = transaction;
        durable.CommandText = "SET LOCAL synchronous_commit = on";
        await durable.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
