namespace Gatehouse.Inspection.Normalization;

/// <summary>Normalized text together with the map from each normalized position back to the original text.</summary>
public sealed class NormalizedText
{
    private readonly int[]? _map;
    private readonly int _originalLength;

    /// <summary>Creates normalized text; <paramref name="map"/> null means identical to the original.</summary>
    internal NormalizedText(string text, int[]? map, int originalLength)
    {
        Text = text;
        _map = map;
        _originalLength = originalLength;
    }

    /// <summary>The normalized text.</summary>
    public string Text { get; }

    /// <summary>True when normalization changed nothing (offsets are the same in both texts).</summary>
    public bool IsIdentity => _map is null;

    /// <summary>The original offset of normalized position <paramref name="index"/> (the original length for the end position).</summary>
    public int ToOriginal(int index)
    {
        if (_map is null)
        {
            return index;
        }

        return index >= _map.Length ? _originalLength : _map[index];
    }

    /// <summary>Maps a normalized span to the original span that produced it (covering dropped invisible characters inside it).</summary>
    public (int Start, int Length) ToOriginalSpan(int start, int length)
    {
        var originalStart = ToOriginal(start);
        var originalEnd = length == 0 ? originalStart : ToOriginalEnd(start + length - 1);
        return (originalStart, originalEnd - originalStart);
    }

    private int ToOriginalEnd(int lastIndex)
    {
        // The last normalized char came from the original code point at map[last]; it ends where the next one starts.
        var next = lastIndex + 1;
        if (_map is null)
        {
            return next;
        }

        var origin = _map[lastIndex];
        while (next < _map.Length && _map[next] == origin)
        {
            next++;
        }

        if (next < _map.Length)
        {
            return _map[next];
        }

        return _originalLength;
    }
}
