namespace Gatehouse.Inspection.Pii;

/// <summary>
/// A card number candidate, <c>(?&lt;![\d.+#-])\d(?:[ -]?\d){11,18}(?!\d|[.-]\d)</c> (<see cref="PiiPatterns.Card"/>) in
/// code: from a digit not glued to a number before it, the longest chain of 12–19 digits (one space or dash allowed
/// between two) that is not followed by a digit or by <c>.</c>/<c>-</c> and a digit.
/// </summary>
internal readonly struct CardPattern : ICandidatePattern
{
    /// <inheritdoc />
    public static int Next(ReadOnlySpan<char> text, int from, int end, out int length)
    {
        text = text[..Math.Min(text.Length, end + 2)];
        Span<int> ends = stackalloc int[20];
        for (var p = from; p < end; p++)
        {
            if (!PatternChars.IsDigit(text[p]) || (p > 0 && (PatternChars.IsDigit(text[p - 1]) || text[p - 1] is '.' or '+' or '#' or '-')))
            {
                continue;
            }

            // [ -]? is taken whenever it is there: without it the \d that follows would have to match the separator.
            var count = 1;
            var position = p + 1;
            ends[1] = position;
            while (count < 19)
            {
                var next = position < text.Length && text[position] is ' ' or '-' ? position + 1 : position;
                if (!PatternChars.DigitAt(text, next))
                {
                    break;
                }

                position = next + 1;
                ends[++count] = position;
            }

            for (var digits = count; digits >= 12; digits--)
            {
                var after = ends[digits];
                if (!PatternChars.DigitAt(text, after) && !(after < text.Length && text[after] is '.' or '-' && PatternChars.DigitAt(text, after + 1)))
                {
                    length = after - p;
                    return after <= end ? p : -1;
                }
            }
        }

        length = 0;
        return -1;
    }
}
