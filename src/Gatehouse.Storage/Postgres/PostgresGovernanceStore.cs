using Gatehouse.Storage.Sql;

namespace Gatehouse.Storage.Postgres;

/// <summary>Governance data in PostgreSQL, shared by every replica; each change bumps the change version and issues `NOTIFY gatehouse_changes` in its transaction.</summary>
public sealed class PostgresGovernanceStore : SqlGovernanceStore
{
    /// <summary>Creates the store.</summary>
    public PostgresGovernanceStore(PostgresDatabase database)
        : base(database)
    {
    }
}
