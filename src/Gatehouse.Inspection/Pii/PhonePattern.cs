namespace Gatehouse.Inspection.Pii;

/// <summary>
/// A phone candidate, <see cref="PiiPatterns.Phone"/> in code:
/// <c>(?&lt;![\w+/.#-])(?:(?:\+|00)\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{1,4}){1,5}(?![\w/-]|[.:]\d)</c>.
/// Every optional separator is taken when it is there (the next element could not match it), so the only choices
/// the regex backtracks over are the country-code length and how the digits after it are cut into 2–6 pieces of
/// 1–4; the first success in its order is the one that ends after the furthest digit group that fits in six pieces
/// and passes the lookahead.
/// </summary>
internal readonly struct PhonePattern : ICandidatePattern, IAnchoredPattern
{
    /// <inheritdoc />
    public static int Next(ReadOnlySpan<char> text, int from, int end, out int length) => CandidateSearch.Leftmost<PhonePattern>(text, from, end, out length);

    /// <inheritdoc />
    public static int MatchAt(ReadOnlySpan<char> text, int p)
    {
        var c = text[p];
        return !(c is '+' or '(' || PatternChars.IsDigit(c)) || (p > 0 && IsGlued(text[p - 1])) ? -1 : MatchFrom(text, p);
    }

    private static bool IsGlued(char c) => c is '+' or '/' or '.' or '#' or '-' || PatternChars.IsWordChar(c);

    // The end of the match at p once the lookbehind has passed, or -1.
    private static int MatchFrom(ReadOnlySpan<char> text, int p)
    {
        var country = text[p] == '+' ? p + 1 : text[p] == '0' && p + 1 < text.Length && text[p + 1] == '0' ? p + 2 : -1;
        if (country >= 0)
        {
            for (var digits = PatternChars.DigitsAt(text, country, 3); digits >= 1; digits--)
            {
                var matchEnd = AreaAndNumber(text, Separator(text, country + digits));
                if (matchEnd >= 0)
                {
                    return matchEnd;
                }
            }
        }

        return AreaAndNumber(text, p);
    }

    // (?:\(\d{1,4}\)[ .-]?)? then the digit pieces.
    private static int AreaAndNumber(ReadOnlySpan<char> text, int at)
    {
        if (at < text.Length && text[at] == '(')
        {
            var digits = PatternChars.DigitsAt(text, at + 1, 5);
            var close = at + 1 + digits;
            return digits is >= 1 and <= 4 && close < text.Length && text[close] == ')' ? Pieces(text, Separator(text, close + 1)) : -1;
        }

        return Pieces(text, at);
    }

    // \d{1,4}(?:[ .-]?\d{1,4}){1,5}(?![\w/-]|[.:]\d): digit groups joined by one separator; a group of n digits needs
    // at least ceil(n/4) pieces, a match at least 2 and at most 6; it can only end where a group ends.
    private static int Pieces(ReadOnlySpan<char> text, int at)
    {
        var best = -1;
        var pieces = 0;
        var groups = 0;
        var position = at;
        while (true)
        {
            var digits = PatternChars.DigitsAt(text, position, 25);
            if (digits == 0)
            {
                return best;
            }

            pieces += (digits + 3) / 4;
            if (pieces > 6)
            {
                return best;
            }

            groups++;
            var groupEnd = position + digits;
            if ((groups >= 2 || digits >= 2) && EndsCleanly(text, groupEnd))
            {
                best = groupEnd;
            }

            if (groupEnd + 1 >= text.Length || text[groupEnd] is not (' ' or '.' or '-') || !PatternChars.IsDigit(text[groupEnd + 1]))
            {
                return best;
            }

            position = groupEnd + 1;
        }
    }

    private static int Separator(ReadOnlySpan<char> text, int at) => at < text.Length && text[at] is ' ' or '.' or '-' ? at + 1 : at;

    // (?![\w/-]|[.:]\d)
    private static bool EndsCleanly(ReadOnlySpan<char> text, int at)
    {
        if (at >= text.Length)
        {
            return true;
        }

        var c = text[at];
        return !(c is '/' or '-' || PatternChars.IsWordChar(c) || (c is '.' or ':' && PatternChars.DigitAt(text, at + 1)));
    }
}
