using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>Opens connections to the embedded SQLite file in WAL mode.</summary>
public sealed class SqliteDatabase
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
}
