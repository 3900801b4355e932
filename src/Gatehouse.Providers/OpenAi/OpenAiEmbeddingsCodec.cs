using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Providers.OpenAi;

/// <summary>Encodes and decodes the OpenAI embeddings wire format (requests to upstreams, answers from them).</summary>
public static class OpenAiEmbeddingsCodec
{
    /// <summary>Writes an upstream embeddings request.</summary>
    public static void EncodeRequest(EmbeddingsRequest request, string upstreamModel, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriting.Options);
        writer.WriteStartObject();
        writer.WriteString("model", upstreamModel);
        writer.WriteStartArray("input");
        foreach (var input in request.Inputs)
        {
            writer.WriteStringValue(input);
        }

        writer.WriteEndArray();
        if (request.Dimensions is { } dimensions)
        {
            writer.WriteNumber("dimensions", dimensions);
        }

        // Upstream answers are always floats; base64 is re-encoded for the client if it asked.
        writer.WriteString("encoding_format", "float");
        if (request.User is not null)
        {
            writer.WriteString("user", request.User);
        }

        foreach (var (name, value) in request.Extra)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads an upstream embeddings answer.</summary>
    public static EmbeddingsResponse DecodeResponse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var data = root.GetProperty("data");
            var vectors = new float[data.GetArrayLength()][];
            var position = 0;
            foreach (var item in data.EnumerateArray())
            {
                var index = item.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : position;
                var embedding = item.GetProperty("embedding");
                vectors[index] = embedding.ValueKind == JsonValueKind.String
                    ? MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(embedding.GetString()!)).ToArray()
                    : ReadFloats(embedding);
                position++;
            }

            long input = 0;
            if (root.TryGetProperty("usage", out var usage) && usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt64(out var tokens))
            {
                input = tokens;
            }

            return new EmbeddingsResponse
            {
                Vectors = [.. vectors],
                Model = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString()! : string.Empty,
                Usage = new Usage(input, 0),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new GatewayException(new GatewayError(ErrorKind.UpstreamError, "The provider returned an embeddings answer the gateway could not read.", "upstream_malformed_response"), ex);
        }
    }

    internal static float[] ReadFloats(JsonElement array)
    {
        var result = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var value in array.EnumerateArray())
        {
            result[i++] = value.GetSingle();
        }

        return result;
    }
}
