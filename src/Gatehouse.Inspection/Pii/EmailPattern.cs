using System.Buffers;

namespace Gatehouse.Inspection.Pii;

/// <summary>
/// An email candidate, <see cref="PiiPatterns.Email"/> in code. A match holds one <c>@</c>: its local part is the whole
/// run of <c>[A-Za-z0-9._%+-]</c> before it (the lookbehind allows no other start), 1–64 long and opening with a letter
/// or digit; its domain is the most dot-ended labels (1–8 of them; 1–63 letters, digits and inner dashes) after which
/// a top-level domain of 2–24 letters ends before anything but a letter, digit or dash.
/// </summary>
internal readonly struct EmailPattern : ICandidatePattern
{
    private static readonly SearchValues<char> LocalChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-");
    private static readonly SearchValues<char> LabelChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");

    /// <inheritdoc />
    public static int Next(ReadOnlySpan<char> text, int from, int end, out int length)
    {
        text = text[..Math.Min(text.Length, end + 2)];
        var search = from;
        while (search < end)
        {
            var found = text[search..end].IndexOf('@');
            if (found < 0)
            {
                break;
            }

            var at = search + found;
            var window = text[Math.Max(0, at - 65)..at];
            var start = window.LastIndexOfAnyExcept(LocalChars) + 1 + (at - window.Length);
            if (start >= from && at - start is >= 1 and <= 64 && char.IsAsciiLetterOrDigit(text[start]) && Domain(text, at + 1) is >= 0 and var matchEnd)
            {
                length = matchEnd - start;
                return matchEnd <= end ? start : -1;
            }

            search = at + 1;
        }

        length = 0;
        return -1;
    }

    // (?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-]) from at: its end, or -1.
    private static int Domain(ReadOnlySpan<char> text, int at)
    {
        Span<int> labelEnds = stackalloc int[9];
        var labels = 0;
        var position = at;
        while (labels < 8 && position < text.Length)
        {
            var run = text[position..Math.Min(text.Length, position + 64)].IndexOfAnyExcept(LabelChars);
            if (run is <= 0 or > 63 || text[position + run] != '.' || text[position] == '-' || text[position + run - 1] == '-')
            {
                break;
            }

            position += run + 1;
            labelEnds[++labels] = position;
        }

        for (var label = labels; label >= 1; label--)
        {
            var tld = labelEnds[label];
            var letters = CountLetters(text, tld);
            var after = tld + letters;
            if (letters is >= 2 and <= 24 && (after >= text.Length || !(char.IsAsciiLetterOrDigit(text[after]) || text[after] == '-')))
            {
                return after;
            }
        }

        return -1;
    }

    private static int CountLetters(ReadOnlySpan<char> text, int at)
    {
        var count = 0;
        while (count < 25 && at + count < text.Length && char.IsAsciiLetter(text[at + count]))
        {
            count++;
        }

        return count;
    }
}
