using System.Data.Common;

namespace Gatehouse.Storage.Sql;

/// <summary>
/// A relational database the governance, audit and request-log stores run on (SQLite or PostgreSQL): how to open a
/// connection, migrate the schema, mark a governance change and start an audit append. Everything else is shared SQL.
/// </summary>
public abstract class SqlDatabase
{
    /// <summary>A description safe to log (never the password).</summary>
    public abstract string Description { get; }

    /// <summary>Opens a connection ready for use.</summary>
    public abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Applies pending schema migrations (safe to call from several stores and replicas at once).</summary>
    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Inside a governance change's transaction: bumps the change version (and tells listeners).</summary>
    public abstract Task MarkChangedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Starts the transaction of an audit append; it must serialize appenders and be durable on commit.</summary>
    public abstract ValueTask<DbTransaction> BeginAuditAppendAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The statement that reads the audit chain head inside an append (locking it where the database can).</summary>
    public abstract string AuditHeadForAppend { get; }

    /// <inheritdoc />
    public override string ToString() => Description;
}
