using System.Buffers;
using System.Text.Json;

namespace Gatehouse.Protocol.Json;

/// <summary>
/// The pass-through fast path: copies a client's JSON body byte for byte, replacing only the top-level
/// <c>model</c> value and, for OpenAI streams, adding <c>stream_options.include_usage</c>.
/// </summary>
public static class JsonBodyRewriter
{
    private static readonly JsonEncodedText ModelProperty = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText StreamOptionsProperty = JsonEncodedText.Encode("stream_options");

    /// <summary>
    /// Writes the rewritten body. Returns false (writing nothing) when the body cannot be rewritten in place,
    /// for example when the client set its own stream_options; the caller then re-encodes.
    /// </summary>
    public static bool TryRewrite(ReadOnlySpan<byte> body, string model, bool addStreamUsage, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        long modelStart = -1;
        var modelLength = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                {
                    break;
                }

                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                var isModel = reader.ValueTextEquals(ModelProperty.EncodedUtf8Bytes);
                if (addStreamUsage && reader.ValueTextEquals(StreamOptionsProperty.EncodedUtf8Bytes))
                {
                    return false;
                }

                reader.Read();
                if (isModel)
                {
                    if (reader.TokenType != JsonTokenType.String || modelStart >= 0)
                    {
                        return false;
                    }

                    modelStart = reader.TokenStartIndex;
                    modelLength = reader.ValueSpan.Length + 2;
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }

            // Anything after the object but whitespace (a second value, garbage) throws here: such a body is not JSON.
            if (reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (modelStart < 0)
        {
            return false;
        }

        var openBrace = body.IndexOf((byte)'{');
        var start = (int)modelStart;
        if (addStreamUsage)
        {
            Write(output, body[..(openBrace + 1)]);
            Write(output, "\"stream_options\":{\"include_usage\":true},"u8);
            Write(output, body[(openBrace + 1)..start]);
        }
        else
        {
            Write(output, body[..start]);
        }

        var writer = ReusedJsonWriter.Rent(output, relaxed: true);
        writer.WriteStringValue(model);
        ReusedJsonWriter.Return(writer, relaxed: true);

        Write(output, body[(start + modelLength)..]);
        return true;
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }
}
