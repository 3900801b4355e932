using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Governance.Audit;

/// <summary>
/// The hash chain of the audit trail: each record's hash covers the previous hash and every field of the record, each
/// field length-prefixed so no two different records serialize alike. Editing, inserting or deleting a record breaks
/// every hash after it.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first record.</summary>
    public static byte[] Genesis => new byte[SHA256.HashSizeInBytes];

    /// <summary>Numbers and chains an entry after the record with <paramref name="previousHash"/>.</summary>
    public static AuditRecord Append(long sequence, AuditEntry entry, byte[] previousHash) =>
        new(sequence, entry, previousHash, ComputeHash(sequence, entry, previousHash));

    /// <summary>The hash a record with these contents must carry.</summary>
    public static byte[] ComputeHash(long sequence, AuditEntry entry, ReadOnlySpan<byte> previousHash)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        buffer.Write(previousHash);
        WriteInt64(buffer, sequence);
        WriteInt64(buffer, entry.Time.ToUnixTimeMilliseconds());
        foreach (var field in (ReadOnlySpan<string?>)[entry.Actor, entry.Action, entry.Target, entry.Outcome, entry.Reason, entry.RequestId, entry.SourceIp, entry.Details])
        {
            WriteField(buffer, field);
        }

        return SHA256.HashData(buffer.WrittenSpan);
    }

    /// <summary>Checks records in order; stops at the first that does not follow from the one before.</summary>
    public static AuditVerification Verify(IEnumerable<AuditRecord> records, long? expectedCount = null, byte[]? expectedHeadHash = null)
    {
        var previous = Genesis;
        long count = 0;
        foreach (var record in records)
        {
            count++;
            if (record.Sequence != count)
            {
                return AuditVerification.Broken(count, record.Sequence, $"expected record {count} but found {record.Sequence}: records were deleted or reordered");
            }

            if (!CryptographicOperations.FixedTimeEquals(record.PreviousHash, previous))
            {
                return AuditVerification.Broken(count, record.Sequence, "its previous-hash does not match the record before it");
            }

            if (!CryptographicOperations.FixedTimeEquals(record.Hash, ComputeHash(record.Sequence, record.Entry, record.PreviousHash)))
            {
                return AuditVerification.Broken(count, record.Sequence, "its contents do not match its hash: the record was edited");
            }

            previous = record.Hash;
        }

        if (expectedCount is { } expected && expected != count)
        {
            return AuditVerification.Broken(count, count + 1, $"the chain head says {expected} records but {count} remain: records after {count} were deleted");
        }

        if (expectedHeadHash is not null && count > 0 && !CryptographicOperations.FixedTimeEquals(expectedHeadHash, previous))
        {
            return AuditVerification.Broken(count, count, "the last record does not match the recorded chain head");
        }

        return AuditVerification.Intact(count, previous);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private static void WriteField(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            WriteInt64(buffer, -1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt64(buffer, length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }
}
