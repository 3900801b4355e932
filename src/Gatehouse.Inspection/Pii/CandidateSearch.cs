namespace Gatehouse.Inspection.Pii;

/// <summary>The leftmost-match search shared by the candidate patterns written in code.</summary>
internal static class CandidateSearch
{
    /// <summary>
    /// The first match of <typeparamref name="TPattern"/> at or after <paramref name="from"/>, with the window rules of
    /// <see cref="ICandidatePattern.Next"/>: the text is cut two characters after <paramref name="end"/>, and a first
    /// match that ends past <paramref name="end"/> ends the search. Returns the start, or -1.
    /// </summary>
    public static int Leftmost<TPattern>(ReadOnlySpan<char> text, int from, int end, out int length)
        where TPattern : IAnchoredPattern
    {
        text = text[..Math.Min(text.Length, end + 2)];
        for (var p = from; p < end; p++)
        {
            var matchEnd = TPattern.MatchAt(text, p);
            if (matchEnd >= 0)
            {
                length = matchEnd - p;
                return matchEnd <= end ? p : -1;
            }
        }

        length = 0;
        return -1;
    }
}
