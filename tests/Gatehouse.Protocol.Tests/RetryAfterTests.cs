using Gatehouse.Providers;
using Xunit;

namespace Gatehouse.Protocol.Tests;

/// <summary>How long a provider asks to wait, from its headers: read in the right unit, and never negative, NaN or beyond a day.</summary>
public sealed class RetryAfterTests
{
    [Theory]
    [InlineData("Retry-After", "30", 30)]
    [InlineData("retry-after-ms", "1500", 1.5)]
    [InlineData("x-ratelimit-reset-requests", "120ms", 0.12)]
    [InlineData("x-ratelimit-reset-requests", "6m0s", 360)]
    [InlineData("x-ratelimit-reset-requests", "1h2m3.5s", 3723.5)]
    [InlineData("x-ratelimit-reset-requests", "17", 17)]
    [InlineData("retry-after-ms", "1e300", 86_400)]
    [InlineData("Retry-After", "999999999", 86_400)]
    public void Reads_the_wait(string header, string value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), UpstreamErrors.RetryAfter(Headers(header, value)));

    [Theory]
    [InlineData("retry-after-ms", "-1")]
    [InlineData("retry-after-ms", "NaN")]
    [InlineData("retry-after-ms", "Infinity")]
    [InlineData("x-ratelimit-reset-requests", "-5s")]
    [InlineData("x-ratelimit-reset-requests", "soon")]
    [InlineData("x-ratelimit-reset-requests", "5d")]
    [InlineData("Retry-After", "-1")]
    public void Ignores_what_is_not_a_wait(string header, string value) =>
        Assert.Null(UpstreamErrors.RetryAfter(Headers(header, value)));

    private static System.Net.Http.Headers.HttpResponseHeaders Headers(string name, string value)
    {
        var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation(name, value);
        return response.Headers;
    }
}
