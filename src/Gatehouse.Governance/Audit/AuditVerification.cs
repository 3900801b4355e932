namespace Gatehouse.Governance.Audit;

/// <summary>The result of checking an audit chain.</summary>
/// <param name="IsIntact">Whether every record follows from the one before.</param>
/// <param name="Checked">Records checked (up to and including the first broken one).</param>
/// <param name="BrokenSequence">The first record that does not verify, when broken.</param>
/// <param name="Problem">What is wrong with it.</param>
/// <param name="HeadHash">The hash of the last record when intact.</param>
public sealed record AuditVerification(bool IsIntact, long Checked, long? BrokenSequence, string? Problem, byte[]? HeadHash)
{
    /// <summary>An intact chain of <paramref name="count"/> records.</summary>
    public static AuditVerification Intact(long count, byte[] head) => new(true, count, null, null, head);

    /// <summary>A chain broken at <paramref name="sequence"/>.</summary>
    public static AuditVerification Broken(long checkedCount, long sequence, string problem) => new(false, checkedCount, sequence, problem, null);
}
