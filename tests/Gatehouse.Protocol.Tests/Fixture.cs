using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Protocol.Json;
using Xunit;

namespace Gatehouse.Protocol.Tests;

/// <summary>Reads the golden fixtures under Fixtures/&lt;provider&gt;/ and compares JSON by structure.</summary>
internal static class Fixture
{
    public static byte[] Bytes(string provider, string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", provider, name));

    public static JsonNode Json(string provider, string name) => JsonNode.Parse(Bytes(provider, name))!;

    /// <summary>Runs a writer into a pooled buffer and parses what it wrote.</summary>
    public static JsonNode Write(Action<PooledBufferWriter> write)
    {
        using var buffer = new PooledBufferWriter();
        write(buffer);
        return JsonNode.Parse(buffer.WrittenSpan)!;
    }

    /// <summary>Asserts two JSON values are equal as parsed JSON (property order and whitespace do not count).</summary>
    public static void AssertJsonEqual(JsonNode? expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Equal(expected?.ToJsonString(), actual?.ToJsonString());
        }
    }

    /// <summary>Asserts that a JSON text holds the expected JSON value.</summary>
    public static void AssertJsonEqual(string expected, string? actual) =>
        AssertJsonEqual(JsonNode.Parse(expected), actual is null ? null : JsonNode.Parse(actual));

    public static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
