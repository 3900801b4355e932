using Gatehouse.Server.Config;
using Xunit;

namespace Gatehouse.IntegrationTests.Config;

/// <summary>Durations as config, the admin API and the CLI write them; numbers no one means are refused, not thrown on.</summary>
public sealed class DurationParserTests
{
    [Theory]
    [InlineData("250ms", 0.25)]
    [InlineData("30s", 30)]
    [InlineData("45", 45)]
    [InlineData("5m", 300)]
    [InlineData("1.5h", 5400)]
    [InlineData("30d", 2_592_000)]
    [InlineData("36500d", 3_153_600_000)]
    public void Parses_the_units(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public void Milliseconds_keep_every_tick()
    {
        Assert.True(DurationParser.TryParse("43ms", out var duration));
        Assert.Equal(TimeSpan.FromTicks(430_000), duration);
    }

    [Theory]
    [InlineData("1e9d")]
    [InlineData("36501d")]
    [InlineData("1e300s")]
    [InlineData("NaNh")]
    [InlineData("Infinityd")]
    [InlineData("-1s")]
    [InlineData("5w")]
    [InlineData("soon")]
    public void Refuses_what_is_not_a_duration_anyone_means(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
