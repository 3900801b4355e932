namespace Gatehouse.Core;

/// <summary>Finds the known word a mistyped one was probably meant to be, for "did you mean" messages.</summary>
public static class SpellingSuggestion
{
    /// <summary>The known word closest to <paramref name="word"/> by edit distance, if close enough to be a typo; otherwise null.</summary>
    public static string? Closest(string word, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(known);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(word, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= Math.Max(2, word.Length / 3) ? best : null;
    }

    /// <summary>The Levenshtein distance between two words, ignoring case.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var row = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                var substitution = diagonal + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1);
                row[j] = Math.Min(Math.Min(row[j - 1] + 1, above + 1), substitution);
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
