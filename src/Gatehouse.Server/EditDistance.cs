namespace Gatehouse.Server;

/// <summary>Levenshtein distance, for "did you mean" suggestions.</summary>
public static class EditDistance
{
    /// <summary>The number of single-character edits that turn <paramref name="a"/> into <paramref name="b"/> (case-insensitive).</summary>
    public static int Compute(string a, string b)
    {
        if (a.Length == 0)
        {
            return b.Length;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
