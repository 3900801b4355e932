using System.Buffers;
using System.Text.Json;
using Gatehouse.Core;

namespace Gatehouse.Providers.Gemini;

/// <summary>Encodes and decodes Gemini <c>batchEmbedContents</c>: one request per input, one vector per request.</summary>
public static class GeminiEmbeddingsCodec
{
    /// <summary>Writes the upstream request; <paramref name="model"/> is the bare model id (no <c>models/</c> prefix).</summary>
    public static void EncodeRequest(EmbeddingsRequest request, string model, IBufferWriter<byte> output)
    {
        var modelPath = "models/" + model;
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteStartArray("requests");
        foreach (var input in request.Inputs)
        {
            writer.WriteStartObject();
            writer.WriteString("model", modelPath);
            writer.WriteStartObject("content");
            writer.WriteStartArray("parts");
            writer.WriteStartObject();
            writer.WriteString("text", input);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            if (request.Dimensions is { } dimensions)
            {
                writer.WriteNumber("outputDimensionality", dimensions);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads the upstream answer (<c>{"embeddings":[{"values":[…]}]}</c>); Gemini reports no token usage here.</summary>
    public static EmbeddingsResponse DecodeResponse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var embeddings = document.RootElement.GetProperty("embeddings");
            var vectors = new List<float[]>(embeddings.GetArrayLength());
            foreach (var embedding in embeddings.EnumerateArray())
            {
                var values = embedding.GetProperty("values");
                var vector = new float[values.GetArrayLength()];
                var i = 0;
                foreach (var value in values.EnumerateArray())
                {
                    vector[i++] = value.GetSingle();
                }

                vectors.Add(vector);
            }

            return new EmbeddingsResponse { Vectors = vectors };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GatewayException(new GatewayError(ErrorKind.UpstreamError, "The provider returned an embeddings answer the gateway could not read.", "upstream_malformed_response"), ex);
        }
    }
}
