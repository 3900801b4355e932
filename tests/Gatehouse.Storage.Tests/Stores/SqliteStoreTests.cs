using Gatehouse.Storage.Audit;
using Gatehouse.Storage.Governance;
using Gatehouse.Storage.RequestLogs;
using Gatehouse.Storage.Sql;
using Gatehouse.Storage.Sqlite;

namespace Gatehouse.Storage.Tests.Stores;

/// <summary>The store contract on the embedded SQLite file (a fresh file per test).</summary>
public sealed class SqliteStoreTests : StoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gatehouse-store-" + Guid.NewGuid().ToString("N"));

    protected override SqlDatabase OpenDatabase() => new SqliteDatabase("sqlite://" + Path.Combine(_directory, "gatehouse.db"));

    protected override IGovernanceStore GovernanceStore(SqlDatabase database) => new SqliteGovernanceStore((SqliteDatabase)database);

    protected override IAuditStore AuditStore(SqlDatabase database) => new SqliteAuditStore((SqliteDatabase)database);

    protected override IRequestLogStore RequestLogStore(SqlDatabase database) => new SqliteRequestLogStore((SqliteDatabase)database);

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
