using System.Buffers;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Json;
using Gatehouse.Providers.OpenAi;

namespace Gatehouse.Providers.Bedrock;

/// <summary>
/// Encodes and decodes Bedrock <c>InvokeModel</c> embeddings bodies. Amazon Titan text embeddings take one text per
/// call (<c>{"inputText", "dimensions"}</c> → <c>{"embedding", "inputTextTokenCount"}</c>); Cohere embed models take a
/// batch (<c>{"texts", "input_type"}</c> → <c>{"embeddings"}</c>).
/// </summary>
public static class BedrockEmbeddingsCodec
{
    /// <summary>Whether the model takes a batch of texts in one call (Cohere embed models).</summary>
    public static bool IsBatchModel(string upstreamModel) => upstreamModel.Contains("cohere.embed", StringComparison.Ordinal);

    /// <summary>Writes the body. A Titan request with several inputs is a 400: Titan embeds one text per call.</summary>
    public static void EncodeRequest(EmbeddingsRequest request, string upstreamModel, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriting.Options);
        writer.WriteStartObject();
        if (IsBatchModel(upstreamModel))
        {
            writer.WriteStartArray("texts");
            foreach (var input in request.Inputs)
            {
                writer.WriteStringValue(input);
            }

            writer.WriteEndArray();
            writer.WriteString("input_type", "search_document");
            if (request.Dimensions is { } outputDimension)
            {
                writer.WriteNumber("output_dimension", outputDimension);
            }
        }
        else
        {
            if (request.Inputs.Count != 1)
            {
                throw new GatewayException(GatewayError.Invalid(
                    $"Bedrock model '{upstreamModel}' embeds one text per request; send 'input' as a single string (got {request.Inputs.Count}).",
                    "input"));
            }

            writer.WriteString("inputText", request.Inputs[0]);
            if (request.Dimensions is { } dimensions)
            {
                writer.WriteNumber("dimensions", dimensions);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads either answer shape; throws an upstream <see cref="GatewayException"/> if it is neither.</summary>
    public static EmbeddingsResponse DecodeResponse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.TryGetProperty("embedding", out var single))
            {
                var tokens = root.TryGetProperty("inputTextTokenCount", out var count) && count.TryGetInt64(out var n) ? n : 0;
                return new EmbeddingsResponse { Vectors = [OpenAiEmbeddingsCodec.ReadFloats(single)], Usage = new Usage(tokens, 0) };
            }

            var embeddings = root.GetProperty("embeddings");
            if (embeddings.ValueKind == JsonValueKind.Object)
            {
                // Cohere answers {"float": [[…]]} when embedding types were requested.
                embeddings = embeddings.GetProperty("float");
            }

            var vectors = new List<float[]>(embeddings.GetArrayLength());
            foreach (var vector in embeddings.EnumerateArray())
            {
                vectors.Add(OpenAiEmbeddingsCodec.ReadFloats(vector));
            }

            return new EmbeddingsResponse { Vectors = vectors };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GatewayException(new GatewayError(ErrorKind.UpstreamError,
                "The provider returned an embeddings answer the gateway could not read.", "upstream_malformed_response"), ex);
        }
    }
}
