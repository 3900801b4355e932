namespace Gatehouse.Governance.Audit;

/// <summary>An <see cref="AuditEntry"/> as stored: numbered and chained to the record before it.</summary>
/// <param name="Sequence">1 for the first record, then consecutive.</param>
/// <param name="Entry">What happened.</param>
/// <param name="PreviousHash">Hash of the record before (32 zero bytes for the first).</param>
/// <param name="Hash">SHA-256 over <paramref name="PreviousHash"/> and this record's canonical bytes.</param>
public sealed record AuditRecord(long Sequence, AuditEntry Entry, byte[] PreviousHash, byte[] Hash);
