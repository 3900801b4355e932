using Gatehouse.Storage.Sql;

namespace Gatehouse.Storage.Sqlite;

/// <summary>The request log in the embedded SQLite file.</summary>
public sealed class SqliteRequestLogStore : SqlRequestLogStore
{
    /// <summary>Creates the store.</summary>
    public SqliteRequestLogStore(SqliteDatabase database)
        : base(database)
    {
    }
}
