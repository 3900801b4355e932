using Gatehouse.Storage.Sql;

namespace Gatehouse.Storage.Sqlite;

/// <summary>Governance data in the embedded SQLite file.</summary>
public sealed class SqliteGovernanceStore : SqlGovernanceStore
{
    /// <summary>Creates the store.</summary>
    public SqliteGovernanceStore(SqliteDatabase database)
        : base(database)
    {
    }
}
