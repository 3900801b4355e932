namespace Gatehouse.Inspection.Normalization;

/// <summary>Normalized text together with the map from each normalized position back to the original text.</summary>
public sealed class NormalizedText
{
    private readonly string? _original;
    private readonly int _originalLength;
    private int[]? _map;

    /// <summary>Creates normalized text; <paramref name="map"/> null means identical to the original.</summary>
    internal NormalizedText(string text, int[]? map, int originalLength)
    {
        Text = text;
        _map = map;
        _originalLength = originalLength;
    }

    /// <summary>Creates text normalized from <paramref name="original"/>, whose map is built when first needed.</summary>
    internal NormalizedText(string text, string original)
    {
        Text = text;
        _original = original;
        _originalLength = original.Length;
    }

    /// <summary>The normalized text.</summary>
    public string Text { get; }

    /// <summary>The text that was normalized (the same string as <see cref="Text"/> for an identity map).</summary>
    internal string Original => _original ?? Text;

    /// <summary>True when normalization changed nothing (offsets are the same in both texts).</summary>
    public bool IsIdentity => _original is null && _map is null;

    /// <summary>The original offset of normalized position <paramref name="index"/> (the original length for the end position).</summary>
    public int ToOriginal(int index)
    {
        var map = Map;
        if (map is null)
        {
            return index;
        }

        return index >= map.Length ? _originalLength : map[index];
    }

    /// <summary>Maps a normalized span to the original span that produced it (covering dropped invisible characters inside it).</summary>
    public (int Start, int Length) ToOriginalSpan(int start, int length)
    {
        var originalStart = ToOriginal(start);
        var originalEnd = length == 0 ? originalStart : ToOriginalEnd(start + length - 1);
        return (originalStart, originalEnd - originalStart);
    }

    // Built on first use (a race builds the same map twice, harmlessly): most scans find nothing to map back.
    private int[]? Map => _map ?? (_original is null ? null : _map = TextNormalizer.BuildMap(_original, Text.Length));

    private int ToOriginalEnd(int lastIndex)
    {
        // The last normalized char came from the original code point at map[last]; it ends where the next one starts.
        var next = lastIndex + 1;
        var map = Map;
        if (map is null)
        {
            return next;
        }

        var origin = map[lastIndex];
        while (next < map.Length && map[next] == origin)
        {
            next++;
        }

        if (next < map.Length)
        {
            return map[next];
        }

        return _originalLength;
    }
}
