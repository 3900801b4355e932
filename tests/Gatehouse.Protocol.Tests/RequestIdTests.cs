using Gatehouse.Core;
using Xunit;

namespace Gatehouse.Protocol.Tests;

public sealed class RequestIdTests
{
    [Fact]
    public void Random_ids_have_the_prefix_and_24_base32_characters()
    {
        var id = RequestId.New("msg_");

        Assert.Matches("^msg_[a-z2-7]{24}$", id);
        Assert.NotEqual(id, RequestId.New("msg_"));
    }

    [Fact]
    public void Time_ordered_ids_sort_ordinally_by_their_millisecond()
    {
        var start = new DateTimeOffset(2026, 11, 26, 13, 0, 0, TimeSpan.Zero);
        var ids = new List<string>();
        foreach (var offset in new[] { 0, 1, 2, 31, 32, 1_000, 86_400_000, 10L * 365 * 86_400_000 })
        {
            ids.Add(RequestId.NewTimeOrdered(start.AddMilliseconds(offset)));
        }

        Assert.All(ids, id => Assert.Matches("^req_[a-z2-7]{24}$", id));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Time_ordered_ids_encode_the_unix_millisecond_and_keep_70_random_bits()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(0b00001_00010_00011_00100_00101_00110_00111_01000_01001_01010);

        var first = RequestId.NewTimeOrdered(at, "x_");
        var second = RequestId.NewTimeOrdered(at, "x_");

        // 5 bits per character, most significant first, in the alphabet 2-7 then a-z.
        Assert.Equal("x_34567abcde", first[..12]);
        Assert.Equal(first[..12], second[..12]);
        Assert.NotEqual(first[12..], second[12..]);
    }
}
