using Gatehouse.Storage.Sql;

namespace Gatehouse.Storage.Postgres;

/// <summary>The audit trail in PostgreSQL: one hash chain across replicas (the head row is locked `FOR UPDATE` in each append), durable on commit.</summary>
public sealed class PostgresAuditStore : SqlAuditStore
{
    /// <summary>Creates the store.</summary>
    public PostgresAuditStore(PostgresDatabase database)
        : base(database)
    {
    }
}
