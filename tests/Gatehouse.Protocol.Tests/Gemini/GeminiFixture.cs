using System.Text.Json.Nodes;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.Tests.Gemini;

/// <summary>Reads the Gemini golden fixtures and compares JSON by structure.</summary>
internal static class GeminiFixture
{
    public static byte[] Bytes(string name) => Fixture.Bytes("gemini", name);

    public static JsonNode Json(string name) => Fixture.Json("gemini", name);

    /// <summary>Runs a writer into a pooled buffer and parses what it wrote.</summary>
    public static JsonNode Write(Action<PooledBufferWriter> write) => Fixture.Write(write);

    public static void AssertJsonEqual(JsonNode expected, JsonNode? actual) => Fixture.AssertJsonEqual(expected, actual);

    public static string Utf8(ReadOnlySpan<byte> bytes) => Fixture.Utf8(bytes);
}
