namespace Gatehouse.Inspection.Pii;

/// <summary>
/// An IBAN candidate, <c>(?&lt;![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])</c>
/// (<see cref="PiiPatterns.Iban"/>) in code. A space before a group is taken whenever it is there (the group could
/// not start with it), so each group count has one end; the regex tries the counts from the most down to two, each
/// with a short tail of 1–3 characters first and then without one.
/// </summary>
internal readonly struct IbanPattern : ICandidatePattern, IAnchoredPattern
{
    /// <inheritdoc />
    public static int Next(ReadOnlySpan<char> text, int from, int end, out int length) => CandidateSearch.Leftmost<IbanPattern>(text, from, end, out length);

    /// <inheritdoc />
    public static int MatchAt(ReadOnlySpan<char> text, int p)
    {
        if ((p > 0 && char.IsAsciiLetterOrDigit(text[p - 1])) || p + 4 > text.Length || !char.IsAsciiLetter(text[p]) || !char.IsAsciiLetter(text[p + 1])
            || !PatternChars.IsDigit(text[p + 2]) || !PatternChars.IsDigit(text[p + 3]))
        {
            return -1;
        }

        Span<int> ends = stackalloc int[8];
        var groups = 0;
        var position = p + 4;
        while (groups < 7)
        {
            var at = SkipSpace(text, position);
            if (AlphanumericsAt(text, at, 4) < 4)
            {
                break;
            }

            position = at + 4;
            ends[++groups] = position;
        }

        for (var count = groups; count >= 2; count--)
        {
            var groupEnd = ends[count];
            var at = SkipSpace(text, groupEnd);
            var tail = AlphanumericsAt(text, at, 4);
            if (tail is >= 1 and <= 3)
            {
                return at + tail;
            }

            if (groupEnd == text.Length || !char.IsAsciiLetterOrDigit(text[groupEnd]))
            {
                return groupEnd;
            }
        }

        return -1;
    }

    private static int SkipSpace(ReadOnlySpan<char> text, int at) => at < text.Length && text[at] == ' ' ? at + 1 : at;

    private static int AlphanumericsAt(ReadOnlySpan<char> text, int at, int limit)
    {
        var count = 0;
        while (count < limit && at + count < text.Length && char.IsAsciiLetterOrDigit(text[at + count]))
        {
            count++;
        }

        return count;
    }
}
