using System.Buffers;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>Writes gateway errors in the OpenAI dialect: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public static class OpenAiErrorWriter
{
    /// <summary>Writes a complete error body.</summary>
    public static void Write(GatewayError error, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriting.Options);
        WriteErrorObject(writer, error);
    }

    /// <summary>Writes the error object into a writer.</summary>
    public static void WriteErrorObject(Utf8JsonWriter writer, GatewayError error)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", error.OpenAiType);
        if (error.Param is null)
        {
            writer.WriteNull("param");
        }
        else
        {
            writer.WriteString("param", error.Param);
        }

        if (error.Code is null)
        {
            writer.WriteNull("code");
        }
        else
        {
            writer.WriteString("code", error.Code);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
