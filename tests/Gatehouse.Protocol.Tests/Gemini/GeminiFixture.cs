using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Protocol.Json;
using Xunit;

namespace Gatehouse.Protocol.Tests.Gemini;

/// <summary>Reads the Gemini golden fixtures and compares JSON by structure.</summary>
internal static class GeminiFixture
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "gemini", name));

    public static JsonNode Json(string name) => JsonNode.Parse(Bytes(name))!;

    /// <summary>Runs a writer into a pooled buffer and parses what it wrote.</summary>
    public static JsonNode Write(Action<PooledBufferWriter> write)
    {
        using var buffer = new PooledBufferWriter();
        write(buffer);
        return JsonNode.Parse(buffer.WrittenSpan)!;
    }

    public static void AssertJsonEqual(JsonNode expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Equal(expected.ToJsonString(), actual?.ToJsonString());
        }
    }

    public static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
