using Gatehouse.Storage.Sql;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// The audit trail in the embedded SQLite file. Appends run in an IMMEDIATE transaction with <c>synchronous=FULL</c>,
/// so an acknowledged record is on disk (fsync) before the append returns.
/// </summary>
public sealed class SqliteAuditStore : SqlAuditStore
{
    /// <summary>Creates the store.</summary>
    public SqliteAuditStore(SqliteDatabase database)
        : base(database)
    {
    }
}
