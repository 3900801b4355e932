using System.Text.Json;

namespace Gatehouse.Inspection.Tools;

/// <summary>Resolves RFC 6901 JSON Pointers (<c>/a/0/b</c>, with <c>~0</c> and <c>~1</c> escapes) over a <see cref="JsonElement"/>.</summary>
public static class JsonPointer
{
    /// <summary>Finds the value at <paramref name="pointer"/>; the empty pointer is the root.</summary>
    public static bool TryResolve(JsonElement root, string pointer, out JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        value = root;
        if (pointer.Length == 0)
        {
            return true;
        }

        if (pointer[0] != '/')
        {
            return false;
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (value.ValueKind == JsonValueKind.Object)
            {
                if (!value.TryGetProperty(token, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind == JsonValueKind.Array && int.TryParse(token, out var index) && index >= 0 && index < value.GetArrayLength())
            {
                value = value[index];
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
