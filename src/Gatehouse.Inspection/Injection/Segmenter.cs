namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Splits a document into the segments that <see cref="InjectionMode.Indirect"/> scores: lines, long lines cut at
/// sentence ends, very long sentences cut into windows; then every unit alone and every two adjacent units together,
/// so that an attack is scored with little benign text around it.
/// </summary>
public static class Segmenter
{
    /// <summary>Longest unit before it is cut into windows.</summary>
    public const int MaxUnitChars = 400;

    /// <summary>Appends the units (start, length) of <paramref name="text"/> to <paramref name="units"/>: lines and sentences, without blank ones.</summary>
    public static void Units(ReadOnlySpan<char> text, List<(int Start, int Length)> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var end = i == text.Length || text[i] == '\n'
                || (i > start + 20 && text[i] == ' ' && text[i - 1] is '.' or '!' or '?')
                || i - start >= MaxUnitChars;
            if (!end)
            {
                continue;
            }

            AddTrimmed(text, start, i, units);
            start = i + 1;
        }
    }

    /// <summary>The segments to score: each unit, and each pair of adjacent units.</summary>
    public static List<(int Start, int Length)> Segments(ReadOnlySpan<char> text)
    {
        var units = new List<(int Start, int Length)>();
        Units(text, units);
        var segments = new List<(int Start, int Length)>(units.Count * 2);
        for (var i = 0; i < units.Count; i++)
        {
            segments.Add(units[i]);
            if (i + 1 < units.Count)
            {
                var end = units[i + 1].Start + units[i + 1].Length;
                segments.Add((units[i].Start, end - units[i].Start));
            }
        }

        return segments;
    }

    private static void AddTrimmed(ReadOnlySpan<char> text, int start, int end, List<(int Start, int Length)> units)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end - start >= 3)
        {
            units.Add((start, end - start));
        }
    }
}
