using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Gatehouse.Protocol.Json;

/// <summary>
/// Small forward-only reads on a <see cref="Utf8JsonReader"/> for answers the gateway only observes: each leaves the
/// reader on the last token of the value it read, as <see cref="Utf8JsonReader.Skip"/> does.
/// </summary>
internal static class JsonScan
{
    /// <summary>Starts a reader on a whole UTF-8 JSON text and requires an object; throws <see cref="JsonException"/> otherwise.</summary>
    public static Utf8JsonReader StartObject(ReadOnlySpan<byte> json)
    {
        // JsonDocument-based decoders fail on a string that is not UTF-8 when they read it; the scan reads few strings,
        // so it checks the whole text once (vectorized) to reject the same answers.
        if (!Utf8.IsValid(json))
        {
            throw new JsonException("The text is not valid UTF-8.");
        }

        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The text is not a JSON object.");
        }

        return reader;
    }

    /// <summary>After the top-level value: requires that nothing but whitespace follows, as a document parse does.</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("The text goes on after its value.");
        }
    }

    /// <summary>Moves from a property name to its value.</summary>
    public static void Value(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("A property has no value.");
        }
    }

    /// <summary>On a value: true if it is an object (to read its properties); otherwise skips it and returns false.</summary>
    public static bool IsObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>From a property name: its value if that is a string, otherwise null (the value is skipped).</summary>
    public static string? StringValue(ref Utf8JsonReader reader)
    {
        Value(ref reader);
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>The value as a 64-bit integer, or <paramref name="fallback"/> when it is not one (the value is skipped).</summary>
    public static long Int64(ref Utf8JsonReader reader, long fallback)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        reader.Skip();
        return fallback;
    }

    /// <summary>The named integer property of an object value, or 0; the rest of the object is skipped.</summary>
    public static long NestedInt64(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!IsObject(ref reader))
        {
            return 0;
        }

        long found = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            Value(ref reader);
            if (match)
            {
                found = Int64(ref reader, 0);
            }
            else
            {
                reader.Skip();
            }
        }

        return found;
    }

    /// <summary>The characters of a string value (see <see cref="CharCount"/>), or 0 for any other value, which is skipped.</summary>
    public static int StringChars(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return CharCount(ref reader);
        }

        reader.Skip();
        return 0;
    }

    /// <summary>The number of UTF-16 characters a string value holds once unescaped, without allocating it.</summary>
    public static int CharCount(ref Utf8JsonReader reader)
    {
        // Readers here run over one span, never a sequence.
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            return System.Text.Encoding.UTF8.GetCharCount(raw);
        }

        // Unescaped text never has more characters than its escaped bytes.
        char[]? rented = null;
        var buffer = raw.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            return reader.CopyString(buffer);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
