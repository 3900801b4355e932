using Gatehouse.Governance.Audit;
using Xunit;

namespace Gatehouse.Governance.Tests.Audit;

public sealed class AuditChainTests
{
    private static List<AuditRecord> Chain(int count)
    {
        var records = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var record = AuditChain.Append(i, new AuditEntry { Time = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 + i), Actor = "key:a", Action = "admin:keys.create", Target = $"key:{i}", Outcome = "ok" }, previous);
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    [Fact]
    public void An_untouched_chain_verifies()
    {
        var chain = Chain(5);
        var result = AuditChain.Verify(chain, 5, chain[^1].Hash);
        Assert.True(result.IsIntact);
        Assert.Equal(5, result.Checked);
    }

    [Fact]
    public void Editing_a_field_breaks_that_record()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Entry = chain[2].Entry with { Outcome = "denied" } };
        var result = AuditChain.Verify(chain);
        Assert.False(result.IsIntact);
        Assert.Equal(3, result.BrokenSequence);
    }

    [Fact]
    public void Deleting_a_middle_record_or_the_tail_is_detected()
    {
        var chain = Chain(5);
        var middle = chain.Where(r => r.Sequence != 2).ToList();
        Assert.Equal(3, AuditChain.Verify(middle).BrokenSequence); // record 3 stands where record 2 belongs
        var tail = chain.Take(4).ToList();
        var result = AuditChain.Verify(tail, 5, chain[^1].Hash);
        Assert.False(result.IsIntact);
        Assert.Contains("deleted", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Rehashing_an_edited_record_still_breaks_the_next_one()
    {
        var chain = Chain(4);
        var edited = chain[1].Entry with { Target = "key:other" };
        chain[1] = AuditChain.Append(2, edited, chain[0].Hash);
        Assert.Equal(3, AuditChain.Verify(chain).BrokenSequence);
    }

    [Fact]
    public void Fields_cannot_be_shifted_between_each_other()
    {
        var a = new AuditEntry { Time = DateTimeOffset.UnixEpoch, Actor = "ab", Action = "c", Target = "t", Outcome = "ok" };
        var b = a with { Actor = "a", Action = "bc" };
        Assert.NotEqual(AuditChain.ComputeHash(1, a, AuditChain.Genesis), AuditChain.ComputeHash(1, b, AuditChain.Genesis));
    }
}
