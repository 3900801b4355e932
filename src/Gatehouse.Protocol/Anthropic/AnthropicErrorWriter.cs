using System.Buffers;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>Writes gateway errors in the Anthropic dialect: <c>{"type": "error", "error": {"type", "message"}}</c>.</summary>
public static class AnthropicErrorWriter
{
    /// <summary>Writes a complete error body.</summary>
    public static void Write(GatewayError error, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriting.Options);
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", error.AnthropicType);
        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
