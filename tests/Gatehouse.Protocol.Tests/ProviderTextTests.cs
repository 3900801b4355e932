using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Xunit;

namespace Gatehouse.Protocol.Tests;

/// <summary>Provider words passed on to clients and logs: credentials masked, length capped, NULs kept out of stores.</summary>
public sealed class ProviderTextTests
{
    [Theory]
    [InlineData("Incorrect API key provided: sk-abcdef1234567890.", "Incorrect API key provided: [redacted].")]
    [InlineData("header Bearer abc.def was refused", "header [redacted] was refused")]
    [InlineData("key AKIAABCDEFGHIJKLMNOP is not allowed", "key [redacted] is not allowed")]
    [InlineData("plain words", "plain words")]
    [InlineData("task-runner-01 failed", "task-runner-01 failed")]
    public void Masks_what_looks_like_a_credential(string text, string expected) => Assert.Equal(expected, ProviderText.Sanitize(text));

    [Fact]
    public void Caps_the_length()
    {
        var sanitized = ProviderText.Sanitize(new string('x', 1000))!;
        Assert.Equal(ProviderText.MaxLength + 1, sanitized.Length);
        Assert.EndsWith("…", sanitized, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_event_carries_the_sanitized_error_and_keeps_the_rest()
    {
        var error = new GatewayError(ErrorKind.UpstreamError, "failed for sk-abcdef1234567890", "upstream_stream_error") { UpstreamStatus = 429, RetryAfter = TimeSpan.FromSeconds(3) };

        var carried = new ErrorEvent(error).Error;

        Assert.Equal("failed for [redacted]", carried.Message);
        Assert.Equal("upstream_stream_error", carried.Code);
        Assert.Equal(429, carried.UpstreamStatus);
        Assert.Equal(TimeSpan.FromSeconds(3), carried.RetryAfter);
        Assert.Same(error.Code, carried.Code);
    }

    [Fact]
    public void Stored_text_has_no_nul()
    {
        Assert.Equal("openai/x\uFFFD", StoredText.Of("openai/x\0"));
        const string clean = "openai/x";
        Assert.Same(clean, StoredText.Of(clean));
        Assert.Equal(42L, StoredText.OfValue(42L));
    }
}
