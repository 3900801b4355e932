using System.Data.Common;
using Gatehouse.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>Opens connections to the embedded SQLite file in WAL mode.</summary>
public sealed class SqliteDatabase : SqlDatabase
{
    private readonly string _connectionString;

    /// <summary>Creates the database handle from a <c>sqlite://PATH</c> URL.</summary>
    public SqliteDatabase(string url)
    {
        var path = url.StartsWith("sqlite://", StringComparison.Ordinal) ? url["sqlite://".Length..] : url;
        if (path.Length == 0)
        {
            throw new ArgumentException("The SQLite URL has no file path; use sqlite://gatehouse.db.", nameof(url));
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file path.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public override string Description => "sqlite://" + FilePath;

    /// <inheritdoc />
    public override string AuditHeadForAppend => "SELECT seq, hash FROM audit_head WHERE id = 1";

    /// <summary>Opens a connection with WAL journaling and a busy timeout.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <inheritdoc />
    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    /// <inheritdoc />
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await SqliteMigrator.MigrateAsync(connection, cancellationToken);
    }

    /// <inheritdoc />
    public override async Task MarkChangedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var bump = connection.CreateCommand();
        bump.Transaction = transaction;
        bump.CommandText = "UPDATE change_version SET version = version + 1 WHERE id = 1";
        await bump.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask<DbTransaction> BeginAuditAppendAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // fsync on commit, and an IMMEDIATE transaction: the write lock is taken before the head is read.
        await using (var durable = connection.CreateCommand())
        {
            durable.CommandText = "PRAGMA synchronous=FULL";
            await durable.ExecuteNonQueryAsync(cancellationToken);
        }

        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }
}
