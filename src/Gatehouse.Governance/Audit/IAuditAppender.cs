namespace Gatehouse.Governance.Audit;

/// <summary>Appends an audit entry durably: the server's batched writer, or the store directly from the CLI.</summary>
public interface IAuditAppender
{
    /// <summary>Appends <paramref name="entry"/>; returns once it is durable.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);
}
