namespace Gatehouse.Inspection.Pii;

/// <summary>
/// An IPv4 candidate, <c>(?&lt;![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)</c> (<see cref="PiiPatterns.IpV4"/>) in code:
/// four runs of 1–3 digits joined by dots; a longer run cannot match, as the regex would leave a digit where it
/// needs a dot or the end.
/// </summary>
internal readonly struct IpV4Pattern : ICandidatePattern, IAnchoredPattern
{
    /// <inheritdoc />
    public static int Next(ReadOnlySpan<char> text, int from, int end, out int length) => CandidateSearch.Leftmost<IpV4Pattern>(text, from, end, out length);

    /// <inheritdoc />
    public static int MatchAt(ReadOnlySpan<char> text, int p)
    {
        if (p > 0 && (text[p - 1] == '.' || PatternChars.IsDigit(text[p - 1])))
        {
            return -1;
        }

        var matchEnd = DottedQuad(text, p);
        return matchEnd >= 0 && !(matchEnd < text.Length && text[matchEnd] == '.' && PatternChars.DigitAt(text, matchEnd + 1)) ? matchEnd : -1;
    }

    /// <summary>
    /// The end of <c>(?:\d{1,3}\.){3}\d{1,3}</c> at <paramref name="at"/> when no digit follows it (the only way the
    /// pattern can go on, as a lookahead that rejects <c>\d</c> or <c>\w</c> always follows it), or -1.
    /// </summary>
    public static int DottedQuad(ReadOnlySpan<char> text, int at)
    {
        for (var octet = 0; octet < 3; octet++)
        {
            var digits = PatternChars.DigitsAt(text, at, 4);
            if (digits is 0 or 4 || at + digits >= text.Length || text[at + digits] != '.')
            {
                return -1;
            }

            at += digits + 1;
        }

        var last = PatternChars.DigitsAt(text, at, 4);
        return last is 0 or 4 ? -1 : at + last;
    }
}
