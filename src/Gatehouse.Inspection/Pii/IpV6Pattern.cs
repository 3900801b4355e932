namespace Gatehouse.Inspection.Pii;

/// <summary>
/// An IPv6 candidate, <c>(?&lt;![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])</c>
/// (<see cref="PiiPatterns.IpV6"/>) in code: each group is the run of hex digits up to the next colon (a longer run
/// cannot match), and the regex tries the group counts from the most down to two, each with a hex tail, then an IPv4
/// tail, then none.
/// </summary>
internal readonly struct IpV6Pattern : ICandidatePattern, IAnchoredPattern
{
    /// <inheritdoc />
    public static int Next(ReadOnlySpan<char> text, int from, int end, out int length) => CandidateSearch.Leftmost<IpV6Pattern>(text, from, end, out length);

    /// <inheritdoc />
    public static int MatchAt(ReadOnlySpan<char> text, int p)
    {
        if (p > 0 && (text[p - 1] is ':' or '.' || PatternChars.IsWordChar(text[p - 1])))
        {
            return -1;
        }

        Span<int> ends = stackalloc int[8];
        var groups = 0;
        var position = p;
        while (groups < 7)
        {
            var hex = HexDigitsAt(text, position);
            if (hex > 4 || position + hex >= text.Length || text[position + hex] != ':')
            {
                break;
            }

            position += hex + 1;
            ends[++groups] = position;
        }

        for (var count = groups; count >= 2; count--)
        {
            var groupEnd = ends[count];
            var hex = HexDigitsAt(text, groupEnd);
            if (hex is >= 1 and <= 4 && EndsCleanly(text, groupEnd + hex))
            {
                return groupEnd + hex;
            }

            var quad = IpV4Pattern.DottedQuad(text, groupEnd);
            if (quad >= 0 && EndsCleanly(text, quad))
            {
                return quad;
            }

            if (EndsCleanly(text, groupEnd))
            {
                return groupEnd;
            }
        }

        return -1;
    }

    // (?![\w:])
    private static bool EndsCleanly(ReadOnlySpan<char> text, int at) => at >= text.Length || !(text[at] == ':' || PatternChars.IsWordChar(text[at]));

    // [0-9A-Fa-f], counting at most 5 (one more than a group holds).
    private static int HexDigitsAt(ReadOnlySpan<char> text, int at)
    {
        var count = 0;
        while (count < 5 && at + count < text.Length && char.IsAsciiHexDigit(text[at + count]))
        {
            count++;
        }

        return count;
    }
}
