using Gatehouse.Storage.Audit;
using Gatehouse.Storage.Governance;
using Gatehouse.Storage.Postgres;
using Gatehouse.Storage.RequestLogs;
using Gatehouse.Storage.Sql;
using Gatehouse.Storage.Sqlite;

namespace Gatehouse.Storage;

/// <summary>
/// The stores <c>storage.url</c> names: the embedded SQLite file (<c>sqlite://PATH</c>) for one node, or a PostgreSQL
/// database (<c>postgres://…</c>) shared by several replicas.
/// </summary>
public sealed class StoreSet : IAsyncDisposable
{
    private StoreSet(SqlDatabase database, IGovernanceStore governance, IAuditStore audit, IRequestLogStore requestLogs)
    {
        Database = database;
        Governance = governance;
        Audit = audit;
        RequestLogs = requestLogs;
    }

    /// <summary>The database behind the stores.</summary>
    public SqlDatabase Database { get; }

    /// <summary>The PostgreSQL database, when the URL names one (for the change listener).</summary>
    public PostgresDatabase? Postgres => Database as PostgresDatabase;

    /// <summary>Keys, hierarchy, limits, budgets and spend.</summary>
    public IGovernanceStore Governance { get; }

    /// <summary>The audit chain.</summary>
    public IAuditStore Audit { get; }

    /// <summary>The request log.</summary>
    public IRequestLogStore RequestLogs { get; }

    /// <summary>Opens the stores of a <c>sqlite://</c> or <c>postgres://</c> URL (nothing is connected yet).</summary>
    public static StoreSet Open(string url)
    {
        if (PostgresUrl.IsPostgres(url))
        {
            var postgres = new PostgresDatabase(url);
            return new StoreSet(postgres, new PostgresGovernanceStore(postgres), new PostgresAuditStore(postgres), new PostgresRequestLogStore(postgres));
        }

        if (url.StartsWith("sqlite://", StringComparison.Ordinal))
        {
            var sqlite = new SqliteDatabase(url);
            return new StoreSet(sqlite, new SqliteGovernanceStore(sqlite), new SqliteAuditStore(sqlite), new SqliteRequestLogStore(sqlite));
        }

        throw new ArgumentException($"storage.url must start with sqlite:// or postgres://; got \"{PostgresUrl.Redact(url)}\".", nameof(url));
    }

    /// <summary>Creates or migrates the schema (under an advisory lock on PostgreSQL).</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => Database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Database is PostgresDatabase postgres)
        {
            await postgres.DisposeAsync();
        }
    }
}
