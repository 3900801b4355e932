using System.Diagnostics;
using Xunit;

namespace Gatehouse.IntegrationTests.Harness;

/// <summary>Polls a condition until it holds or the time is up (for effects that arrive from another replica).</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, Func<string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < within, $"condition not met within {within}{(describe is null ? string.Empty : ": " + describe())}");
            await Task.Delay(20);
        }
    }
}
