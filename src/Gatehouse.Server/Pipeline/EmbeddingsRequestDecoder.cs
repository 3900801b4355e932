using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Json;
using Gatehouse.Providers;

namespace Gatehouse.Server.Pipeline;

/// <summary>Decodes and validates an OpenAI <c>/v1/embeddings</c> request.</summary>
public static class EmbeddingsRequestDecoder
{
    private const int MaxInputs = 2048;
    private static readonly HashSet<string> Modelled = ["model", "input", "dimensions", "encoding_format", "user"];

    /// <summary>Decodes; throws a 400 <see cref="GatewayException"/> on bad input.</summary>
    public static EmbeddingsRequest Decode(ReadOnlyMemory<byte> body)
    {
        using (var document = RequestJson.Parse(body))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("The request body must be a JSON object.", null);
            }

            var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } name
                ? name
                : throw Invalid("'model' is required and must be a non-empty string.", "model");
            RequestJson.CheckModelName(model);
            if (!root.TryGetProperty("input", out var input))
            {
                throw Invalid("'input' is required: a string or an array of strings.", "input");
            }

            var inputs = new List<string>();
            if (input.ValueKind == JsonValueKind.String)
            {
                inputs.Add(input.GetString()!);
            }
            else if (input.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in input.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw Invalid("'input' must be a string or an array of strings; token arrays are not supported through the gateway.", "input");
                    }

                    inputs.Add(item.GetString()!);
                }
            }
            else
            {
                throw Invalid("'input' must be a string or an array of strings.", "input");
            }

            if (inputs.Count is 0 or > MaxInputs)
            {
                throw Invalid($"'input' must contain between 1 and {MaxInputs} items.", "input");
            }

            int? dimensions = null;
            if (root.TryGetProperty("dimensions", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                dimensions = d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) && n > 0 ? n : throw Invalid("'dimensions' must be a positive integer.", "dimensions");
            }

            string? format = null;
            if (root.TryGetProperty("encoding_format", out var f) && f.ValueKind != JsonValueKind.Null)
            {
                format = f.ValueKind == JsonValueKind.String && f.GetString() is "float" or "base64"
                    ? f.GetString()
                    : throw Invalid("'encoding_format' must be \"float\" or \"base64\".", "encoding_format");
            }

            var extra = new Dictionary<string, JsonElement>();
            foreach (var property in root.EnumerateObject())
            {
                if (!Modelled.Contains(property.Name))
                {
                    extra[property.Name] = property.Value.Clone();
                }
            }

            return new EmbeddingsRequest
            {
                Model = model,
                Inputs = inputs,
                Dimensions = dimensions,
                EncodingFormat = format,
                User = root.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null,
                Extra = extra,
            };
        }
    }

    private static GatewayException Invalid(string message, string? param) => new(GatewayError.Invalid(message, param));
}
