namespace Gatehouse.Inspection.Pii;

/// <summary>Validation of number-shaped candidates: confidence, or 0 when the candidate is not that type.</summary>
internal static class PiiScores
{
    /// <summary>12–19 digits, one separator kind written in a card grouping, Luhn valid, a known issuer range and length.</summary>
    public static double Card(ReadOnlySpan<char> candidate)
    {
        Span<char> digits = stackalloc char[19];
        Span<int> groups = stackalloc int[19];
        var count = 0;
        var groupCount = 1;
        var separator = '\0';
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return 0;
                }

                digits[count++] = c;
                groups[groupCount - 1]++;
            }
            else if (separator != '\0' && separator != c)
            {
                return 0; // "4111 1111-1111 1111" mixes separators: not how cards are written
            }
            else
            {
                separator = c;
                groups[groupCount++] = 0;
            }
        }

        var number = digits[..count];
        if (!Luhn.IsValid(number) || PaymentCards.Network(number) is null || !number.ContainsAnyExcept(number[0]))
        {
            return 0;
        }

        if (separator == '\0')
        {
            return 0.9;
        }

        return IsCardGrouping(groups[..groupCount]) ? 0.95 : 0;
    }

    // Cards are printed 4-4-4-4 (and 4-4-4-4-3, 4-4-4-3 for 15 and 19 digits), Amex 4-6-5, Diners 4-6-4.
    private static bool IsCardGrouping(ReadOnlySpan<int> groups)
    {
        if (groups.Length == 3 && groups[0] == 4 && groups[1] == 6 && groups[2] is 4 or 5)
        {
            return true;
        }

        for (var i = 0; i < groups.Length - 1; i++)
        {
            if (groups[i] != 4)
            {
                return false;
            }
        }

        return groups.Length >= 3 && groups[^1] is >= 1 and <= 4;
    }

    /// <summary>Nine digits that obey the SSA rules.</summary>
    public static double Ssn(ReadOnlySpan<char> candidate, double confidence)
    {
        Span<char> digits = stackalloc char[9];
        var count = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == 9)
                {
                    return 0;
                }

                digits[count++] = c;
            }
        }

        return count == 9 && UsSsn.IsValid(digits) ? confidence : 0;
    }

    /// <summary>Registered length for the country and mod-97 = 1, spaces ignored.</summary>
    public static double Iban(ReadOnlySpan<char> candidate)
    {
        Span<char> compact = stackalloc char[40];
        var count = 0;
        foreach (var c in candidate)
        {
            if (c != ' ')
            {
                if (count == compact.Length)
                {
                    return 0;
                }

                compact[count++] = char.ToUpperInvariant(c);
            }
        }

        return Pii.Iban.IsValid(compact[..count]) ? 0.95 : 0;
    }

    /// <summary>A dotted quad that parses, unless a version word or a product name ("Chrome/") comes right before it.</summary>
    public static double IpV4(ReadOnlySpan<char> text, int start, ReadOnlySpan<char> candidate)
    {
        if (!IpAddresses.IsIpV4(candidate))
        {
            return 0;
        }

        var before = text[..start];
        if (before.Length >= 2 && before[^1] == '/' && char.IsAsciiLetter(before[^2]))
        {
            return 0; // "Chrome/120.0.0.1", "Version/17.1.2.3": a product version, not an address ("http://" has "//")
        }

        before = before.TrimEnd();
        foreach (var word in VersionWords)
        {
            if (before.EndsWith(word, StringComparison.OrdinalIgnoreCase) && (before.Length == word.Length || !char.IsAsciiLetter(before[^(word.Length + 1)])))
            {
                return 0;
            }
        }

        return 0.85;
    }

    private static readonly string[] VersionWords = ["v", "ver", "ver.", "version", "build", "release", "rev", "revision", "kernel", "firmware"];

    /// <summary>
    /// True when a word like "phone", "tel" or "call" (or "text me") comes in the 24 characters before
    /// <paramref name="start"/>: the words of the window compared in code, as the pattern
    /// <c>\b(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text me)\b</c> over it would.
    /// </summary>
    public static bool HasPhoneContext(ReadOnlySpan<char> text, int start)
    {
        var window = text[Math.Max(0, start - 24)..start];
        var i = 0;
        while (i < window.Length)
        {
            var letters = window[i..].IndexOfAnyExcept(WordChars);
            var word = letters < 0 ? window[i..] : window.Slice(i, letters);
            if (IsPhoneWord(word) || (word.Equals("text", StringComparison.OrdinalIgnoreCase) && IsMe(window[(i + word.Length)..])))
            {
                return true;
            }

            if (letters < 0)
            {
                return false;
            }

            i += Math.Max(1, letters);
        }

        return false;
    }

    // Words are ASCII word characters, so only the listed words of the same length need comparing.
    private static bool IsPhoneWord(ReadOnlySpan<char> word) => word.Length switch
    {
        3 => word.Equals("tel", StringComparison.OrdinalIgnoreCase) || word.Equals("fax", StringComparison.OrdinalIgnoreCase) || word.Equals("sms", StringComparison.OrdinalIgnoreCase),
        4 => word.Equals("cell", StringComparison.OrdinalIgnoreCase) || word.Equals("call", StringComparison.OrdinalIgnoreCase),
        5 => word.Equals("phone", StringComparison.OrdinalIgnoreCase),
        6 => word.Equals("mobile", StringComparison.OrdinalIgnoreCase),
        8 => word.Equals("whatsapp", StringComparison.OrdinalIgnoreCase),
        9 => word.Equals("telephone", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    // " me" after "text", not followed by a word character.
    private static bool IsMe(ReadOnlySpan<char> after) =>
        after.StartsWith(" me", StringComparison.OrdinalIgnoreCase) && (after.Length == 3 || !WordChars.Contains(after[3]));

    private static readonly System.Buffers.SearchValues<char> WordChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
}
