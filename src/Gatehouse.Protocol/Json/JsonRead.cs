using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Gatehouse.Core;

namespace Gatehouse.Protocol.Json;

/// <summary>Typed reads from a JSON element that fail with a precise 400 error naming the parameter.</summary>
internal static class JsonRead
{
    private const int MaxDepth = 128;

    // Model names are short (the longest real ones, Bedrock inference-profile ARNs, are about 100 characters); each
    // one a client chooses can become a target's state and a metrics label.
    private const int MaxModelLength = 256;

    /// <summary>Parses a request body that must be UTF-8 JSON whose strings are all valid Unicode.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        // The JSON reader checks neither: reading a bad string later would throw InvalidOperationException.
        if (!Utf8.IsValid(body.Span))
        {
            throw new GatewayException(GatewayError.Invalid("The request body is not valid UTF-8. Send JSON text encoded as UTF-8.", code: "invalid_json"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new GatewayException(GatewayError.Invalid(
                $"The request body is not valid JSON ({ex.Message.Split('.')[0]}, line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}). Send a JSON object.",
                code: "invalid_json"));
        }

        if (body.Span.IndexOf("\\u"u8) >= 0 && !EscapesAreUnicode(body.Span))
        {
            document.Dispose();
            throw new GatewayException(GatewayError.Invalid(
                "The request body has a \\u escape that is not valid UTF-16 (an unpaired surrogate). Send JSON text that encodes Unicode text.",
                code: "invalid_json"));
        }

        return document;
    }

    /// <summary>
    /// Parses JSON text that must be an object whose strings are all Unicode (so that it can be written again);
    /// null when it is not. Blank text is an empty object.
    /// </summary>
    public static JsonDocument? TryParseObject(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return JsonDocument.Parse("{}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException)
        {
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object
            || (json.Contains("\\u", StringComparison.Ordinal) && !EscapesAreUnicode(System.Text.Encoding.UTF8.GetBytes(json))))
        {
            document.Dispose();
            return null;
        }

        return document;
    }

    /// <summary>The request's <c>model</c>: a non-empty string without control characters (it reaches headers, logs and stores).</summary>
    public static string RequiredModel(JsonElement root)
    {
        var model = RequiredString(root, "model", string.Empty);
        CheckModelName(model);
        return model;
    }

    /// <summary>Refuses an empty model name, one over 256 characters, or one with a control character (a NUL, a line break).</summary>
    public static void CheckModelName(string model)
    {
        if (model.Length == 0)
        {
            throw Invalid("'model' must not be empty.", "model");
        }

        if (model.Length > MaxModelLength)
        {
            throw Invalid($"'model' must be at most {MaxModelLength} characters.", "model");
        }

        if (model.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || model.Contains('\u007f', StringComparison.Ordinal))
        {
            throw Invalid("'model' must not contain control characters. Send a model name such as openai/gpt-4o-mini.", "model");
        }
    }

    public static void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw path == "body"
                ? Invalid($"The request body must be a JSON object, not {Describe(element)}.")
                : Invalid($"'{path}' must be an object, not {Describe(element)}.", path);
        }
    }

    public static string RequiredString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Invalid($"'{Join(path, name)}' is required.", Join(path, name));
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"'{Join(path, name)}' must be a string, not {Describe(value)}.", Join(path, name));
        }

        return value.GetString()!;
    }

    public static string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"'{Join(path, name)}' must be a string, not {Describe(value)}.", Join(path, name));
        }

        return value.GetString();
    }

    public static bool? OptionalBool(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"'{Join(path, name)}' must be a boolean, not {Describe(value)}.", Join(path, name)),
        };
    }

    public static double? OptionalNumber(JsonElement obj, string name, string path, double min, double max)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            throw Invalid($"'{Join(path, name)}' must be a number, not {Describe(value)}.", Join(path, name));
        }

        if (number < min || number > max)
        {
            throw Invalid($"'{Join(path, name)}' must be between {min} and {max}; got {number}.", Join(path, name));
        }

        return number;
    }

    public static int? OptionalInt(JsonElement obj, string name, string path, int min, int max = int.MaxValue)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw Invalid($"'{Join(path, name)}' must be an integer, not {Describe(value)}.", Join(path, name));
        }

        if (number < min || number > max)
        {
            throw Invalid($"'{Join(path, name)}' must be between {min} and {max}; got {number}.", Join(path, name));
        }

        return (int)number;
    }

    public static long? OptionalLong(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw Invalid($"'{Join(path, name)}' must be an integer, not {Describe(value)}.", Join(path, name));
        }

        return number;
    }

    public static JsonElement? OptionalArray(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"'{Join(path, name)}' must be an array, not {Describe(value)}.", Join(path, name));
        }

        return value;
    }

    public static JsonElement? OptionalObject(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        RequireObject(value, Join(path, name));
        return value;
    }

    /// <summary>Reads a field that may be a string or an array of strings.</summary>
    public static void StringOrArray(JsonElement obj, string name, string path, List<string> into)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            into.Add(value.GetString()!);
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"'{Join(path, name)}' must be a string or an array of strings.", Join(path, name));
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw Invalid($"'{Join(path, name)}' must contain only strings.", Join(path, name));
            }

            into.Add(item.GetString()!);
        }
    }

    public static GatewayException Invalid(string message, string? param = null) =>
        new(GatewayError.Invalid(message, param));

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>Whether every escaped string and property name unescapes to valid UTF-16 (no unpaired surrogates).</summary>
    internal static bool EscapesAreUnicode(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        char[]? buffer = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped)
                {
                    continue;
                }

                // Unescaping never makes a string longer than its escaped bytes.
                if (buffer is null || buffer.Length < reader.ValueSpan.Length)
                {
                    if (buffer is not null)
                    {
                        ArrayPool<char>.Shared.Return(buffer);
                    }

                    buffer = ArrayPool<char>.Shared.Rent(reader.ValueSpan.Length);
                }

                try
                {
                    reader.CopyString(buffer);
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }
}
