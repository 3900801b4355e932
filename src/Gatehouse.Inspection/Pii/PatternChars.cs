using System.Globalization;

namespace Gatehouse.Inspection.Pii;

/// <summary>The character classes of the regex engine (<c>\d</c>, <c>\w</c>) for the candidate patterns written in code.</summary>
internal static class PatternChars
{
    /// <summary><c>\d</c>: any Unicode decimal digit, as the regex engine matches it without ECMAScript.</summary>
    public static bool IsDigit(char c) => char.IsDigit(c);

    /// <summary><c>\w</c>: letters, decimal digits, non-spacing marks and connector punctuation.</summary>
    public static bool IsWordChar(char c)
    {
        if (char.IsAscii(c))
        {
            return char.IsAsciiLetterOrDigit(c) || c == '_';
        }

        return char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or
             UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;
    }

    /// <summary>The number of consecutive <c>\d</c> from <paramref name="at"/>, counting at most <paramref name="limit"/>.</summary>
    public static int DigitsAt(ReadOnlySpan<char> text, int at, int limit)
    {
        var count = 0;
        while (count < limit && at + count < text.Length && IsDigit(text[at + count]))
        {
            count++;
        }

        return count;
    }

    /// <summary>True when a <c>\d</c> is at <paramref name="at"/>.</summary>
    public static bool DigitAt(ReadOnlySpan<char> text, int at) => at < text.Length && IsDigit(text[at]);
}
