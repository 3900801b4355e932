using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Gatehouse.Protocol.Tests.Properties;

/// <summary>Generators for JSON values and for the text that goes into them.</summary>
internal static class JsonGenerators
{
    private static readonly string[] Fragments =
    [
        "Paris", "weather", " ", "wörld", "漢字", "😀", "\"", "\\", "\n", "\r\n", "\t", "<b>", "&amp;", "\u2028", "'", "{", "}",
        "data: ", "[DONE]", "model", "\u00e9", "\u0000", "\u001f", "/", "\\u0041",
    ];

    /// <summary>Non-empty text with quotes, escapes, control characters, non-ASCII and surrogate pairs.</summary>
    public static Gen<string> Text { get; } = Gen.NonEmptyListOf(Gen.Frequency(
            (5, Gen.Elements(Fragments)),
            (1, Gen.Choose(0x20, 0xD7FF).Select(c => ((char)c).ToString())),
            (1, Gen.Choose(0x1F300, 0x1FAFF).Select(char.ConvertFromUtf32))))
        .Select(string.Concat);

    /// <summary>Short text for object keys.</summary>
    public static Gen<string> Key { get; } = Gen.Frequency(
        (4, Gen.Elements("a", "b", "city", "unit", "model", "stream_options", "nested", "x y", "ключ", "")),
        (1, Text));

    /// <summary>A JSON number literal, some beyond double or long range.</summary>
    public static Gen<JsonNode> Number { get; } = Gen.OneOf(
        Gen.Choose(int.MinValue, int.MaxValue).Select(n => (JsonNode)JsonValue.Create(n)),
        Gen.Elements("0", "-0", "1.5", "-0.25", "3.141592653589793", "1e400", "-1E-400", "123456789012345678901234567890", "9223372036854775808")
            .Select(text => JsonNode.Parse(text)!));

    /// <summary>Any JSON value, nested up to the generator size.</summary>
    public static Gen<JsonNode?> Value { get; } = Gen.Sized(ValueOfSize);

    /// <summary>A JSON object with distinct keys.</summary>
    public static Gen<JsonObject> Object { get; } = Gen.Sized(size => ObjectOfSize(Math.Min(size, 8)));

    private static Gen<JsonNode?> Leaf { get; } = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Number.Select(n => (JsonNode?)n),
        Text.Select(s => (JsonNode?)JsonValue.Create(s)));

    private static Gen<JsonNode?> ValueOfSize(int size) => size <= 1
        ? Leaf
        : Gen.Frequency(
            (3, Leaf),
            (1, ObjectOfSize(size / 2).Select(o => (JsonNode?)o)),
            (1, UpTo(ValueOfSize(size / 2), Math.Min(size, 4)).Select(items => (JsonNode?)new JsonArray([.. items]))));

    /// <summary>A list of zero to <paramref name="max"/> values.</summary>
    public static Gen<List<T>> UpTo<T>(Gen<T> gen, int max) =>
        from count in Gen.Choose(0, max)
        from items in Gen.ListOf(gen, count)
        select items.ToList();

    private static Gen<JsonObject> ObjectOfSize(int size) =>
        from keys in UpTo(Key, Math.Min(size, 4))
        from values in Gen.ListOf(ValueOfSize(size / 2), keys.Count)
        select ToObject(keys, [.. values]);

    private static JsonObject ToObject(List<string> keys, List<JsonNode?> values)
    {
        var obj = new JsonObject();
        for (var i = 0; i < keys.Count; i++)
        {
            // A repeated key keeps its first value: JSON objects here have distinct keys.
            obj.TryAdd(keys[i], values[i]);
        }

        return obj;
    }
}
