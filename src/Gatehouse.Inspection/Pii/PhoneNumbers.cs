namespace Gatehouse.Inspection.Pii;

/// <summary>Decides whether a digit run with separators is a phone number, and how sure that is.</summary>
public static class PhoneNumbers
{
    /// <summary>
    /// Confidence that <paramref name="candidate"/> is a phone number, 0 when it is not one: E.164/international
    /// (<c>+</c> or <c>00</c>) with 8–15 digits, or a national number of 9–11 digits written with separators;
    /// bare digit runs only count when <paramref name="hasContext"/> (a word like "phone" or "call" just before).
    /// </summary>
    public static double Score(ReadOnlySpan<char> candidate, bool hasContext)
    {
        var withoutContext = Score(candidate, out var withContext);
        return hasContext ? withContext : withoutContext;
    }

    /// <summary>
    /// The confidence of <paramref name="candidate"/> without a context word, and in <paramref name="withContext"/>
    /// with one: a caller looks for the words only when the two differ.
    /// </summary>
    internal static double Score(ReadOnlySpan<char> candidate, out double withContext)
    {
        var digits = 0;
        var groups = 1;
        var separators = 0;
        char separator = '\0';
        var mixedSeparators = false;
        var longestGroup = 0;
        var group = 0;
        Span<int> firstGroups = stackalloc int[4];
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
                group++;
                longestGroup = Math.Max(longestGroup, group);
                continue;
            }

            if (c is ' ' or '-' or '.')
            {
                if (groups <= firstGroups.Length)
                {
                    firstGroups[groups - 1] = group;
                }

                separators++;
                groups++;
                group = 0;
                mixedSeparators |= separator != '\0' && separator != c;
                separator = c;
            }
        }

        if (groups <= firstGroups.Length)
        {
            firstGroups[groups - 1] = group;
        }

        if (candidate[0] == '+')
        {
            withContext = digits is >= 8 and <= 15 ? 0.9 : 0;
            return withContext;
        }

        // "00" + country code + number: at least 8 digits after the 00 ("001642968" is not an international call).
        if (candidate.StartsWith("00"))
        {
            withContext = digits is >= 10 and <= 17 ? (separators > 0 ? 0.9 : 0.7) : 0;
            return withContext;
        }

        // AAA-GG-SSSS is the layout of a US social security number; no numbering plan writes phones 3-2-4.
        if (groups == 3 && firstGroups[0] == 3 && firstGroups[1] == 2 && firstGroups[2] == 4)
        {
            withContext = 0;
            return withContext;
        }

        if (digits is < 9 or > 11 || LooksLikeDateOrVersion(candidate, separator, groups))
        {
            withContext = 0;
            return withContext;
        }

        var hasParentheses = candidate.Contains('(');
        if (separators == 0 && !hasParentheses)
        {
            withContext = longestGroup >= 9 ? 0.6 : 0;
            return 0;
        }

        if (mixedSeparators && !hasParentheses)
        {
            withContext = 0.5;
            return 0;
        }

        if (IsNanp(candidate))
        {
            withContext = 0.95;
            return 0.85;
        }

        withContext = 0.8;
        return 0.6;
    }

    // (212) 555-0147, 212-555-0147, 212.555.0147, 212 555 0147: area and exchange do not start with 0 or 1.
    private static bool IsNanp(ReadOnlySpan<char> candidate)
    {
        Span<char> digits = stackalloc char[16];
        var count = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c) && count < digits.Length)
            {
                digits[count++] = c;
            }
        }

        var d = digits[..count];
        if (count == 11 && d[0] == '1')
        {
            d = d[1..];
        }

        return d.Length == 10 && d[0] >= '2' && d[3] >= '2';
    }

    private static bool LooksLikeDateOrVersion(ReadOnlySpan<char> candidate, char separator, int groups)
    {
        // 2024-01-31 12, 31.12.2024, 1.2.3.4 style runs are dates, versions or addresses, not phones.
        if (separator == '.' && groups >= 4)
        {
            return true;
        }

        var firstSeparator = candidate.IndexOfAny(' ', '-', '.');
        return firstSeparator == 4 && candidate.Length > 9 && candidate[7] == candidate[4];
    }
}
