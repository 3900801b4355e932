using Gatehouse.Storage.Sql;

namespace Gatehouse.Storage.Postgres;

/// <summary>The request log in PostgreSQL.</summary>
public sealed class PostgresRequestLogStore : SqlRequestLogStore
{
    /// <summary>Creates the store.</summary>
    public PostgresRequestLogStore(PostgresDatabase database)
        : base(database)
    {
    }
}
