using Gatehouse.Governance.Audit;

namespace Gatehouse.Storage.Audit;

/// <summary>Appends audit entries straight to the store, one transaction each (for the CLI, which has no background writer).</summary>
public sealed class StoreAuditAppender : IAuditAppender
{
    private readonly IAuditStore _store;

    /// <summary>Creates the appender.</summary>
    public StoreAuditAppender(IAuditStore store) => _store = store;

    /// <inheritdoc />
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => _store.AppendAsync([entry], cancellationToken);
}
