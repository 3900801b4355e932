using System.Text.Json;
using Gatehouse.Core;

namespace Gatehouse.Protocol.Json;

/// <summary>Typed reads from a JSON element that fail with a precise 400 error naming the parameter.</summary>
internal static class JsonRead
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException ex)
        {
            throw new GatewayException(GatewayError.Invalid(
                $"The request body is not valid JSON ({ex.Message.Split('.')[0]}, line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}). Send a JSON object.",
                code: "invalid_json"));
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
}
