using Gatehouse.Governance.Audit;

namespace Gatehouse.Storage.Audit;

/// <summary>The append-only, hash-chained audit trail.</summary>
public interface IAuditStore
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Chains and appends entries in one durable transaction (the chain head is read and advanced inside it, so
    /// concurrent writers never fork the chain). Returns once the records are on disk.
    /// </summary>
    Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken);

    /// <summary>Records from <paramref name="fromSequence"/> on, in order.</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(long fromSequence, CancellationToken cancellationToken);

    /// <summary>The number of records and the hash of the last one, as recorded beside the chain.</summary>
    Task<(long Count, byte[]? HeadHash)> HeadAsync(CancellationToken cancellationToken);
}
