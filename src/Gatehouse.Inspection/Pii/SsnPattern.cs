namespace Gatehouse.Inspection.Pii;

/// <summary>
/// A separated SSN candidate, <c>(?&lt;![\d-])\d{3}([- ])\d{2}\1\d{4}(?!\d|-\d)</c> (<see cref="PiiPatterns.SsnSeparated"/>) in code.
/// </summary>
internal readonly struct SsnPattern : ICandidatePattern
{
    /// <inheritdoc />
    public static int Next(ReadOnlySpan<char> text, int from, int end, out int length)
    {
        text = text[..Math.Min(text.Length, end + 2)];
        length = 11;
        for (var p = from; p < end && p + 11 <= text.Length; p++)
        {
            if (p > 0 && (PatternChars.IsDigit(text[p - 1]) || text[p - 1] == '-'))
            {
                continue;
            }

            var separator = text[p + 3];
            if (PatternChars.DigitsAt(text, p, 3) == 3 && separator is '-' or ' ' && PatternChars.DigitsAt(text, p + 4, 2) == 2
                && text[p + 6] == separator && PatternChars.DigitsAt(text, p + 7, 4) == 4
                && !PatternChars.DigitAt(text, p + 11) && !(p + 11 < text.Length && text[p + 11] == '-' && PatternChars.DigitAt(text, p + 12)))
            {
                return p + 11 <= end ? p : -1;
            }
        }

        return -1;
    }
}
