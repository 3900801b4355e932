using System.Text;
using Gatehouse.Protocol.Json;
using Xunit;

namespace Gatehouse.Protocol.Tests.Json;

public sealed class JsonBodyRewriterTests
{
    [Fact]
    public void Only_the_model_value_changes_byte_for_byte()
    {
        Assert.Equal(
            """{ "model" : "gpt-4o-2024-08-06",  "messages":[{"role":"user","content":"caf\u00e9"}], "model_x": "y" }""",
            Rewrite("""{ "model" : "gpt-4o",  "messages":[{"role":"user","content":"caf\u00e9"}], "model_x": "y" }""", "gpt-4o-2024-08-06", addStreamUsage: false));
    }

    [Fact]
    public void Stream_usage_is_added_first_and_the_model_is_escaped()
    {
        Assert.Equal(
            """{"stream_options":{"include_usage":true},"stream":true,"model":"a\"b"}""",
            Rewrite("""{"stream":true,"model":"m"}""", "a\"b", addStreamUsage: true));
    }

    [Theory]
    [InlineData("""{"model":"a"}x""")]
    [InlineData("""{"model":"a"} {"model":"b"}""")]
    [InlineData("""{"model":"m"},1""")]
    public void Trailing_content_after_the_object_is_declined(string body)
    {
        // Found by the rewriter property: the rewriter stopped reading at the closing brace and passed the rest on.
        Assert.Null(Rewrite(body, "gpt-4o", addStreamUsage: false));
    }

    [Theory]
    [InlineData("""{"model":"a","model":"b"}""")]
    [InlineData("""{"model":1}""")]
    [InlineData("""{"model":"a" """)]
    [InlineData("""["model","a"]""")]
    [InlineData("""{"nested":{"model":"a"}}""")]
    [InlineData("""{"model":"a","stream_options":{"include_usage":false}}""")]
    [InlineData("")]
    public void Bodies_it_cannot_rewrite_in_place_are_declined(string body)
    {
        Assert.Null(Rewrite(body, "gpt-4o", addStreamUsage: true));
    }

    private static string? Rewrite(string body, string model, bool addStreamUsage)
    {
        using var buffer = new PooledBufferWriter();
        if (!JsonBodyRewriter.TryRewrite(Encoding.UTF8.GetBytes(body), model, addStreamUsage, buffer))
        {
            Assert.Equal(0, buffer.WrittenCount);
            return null;
        }

        return Fixture.Utf8(buffer.WrittenSpan);
    }
}
