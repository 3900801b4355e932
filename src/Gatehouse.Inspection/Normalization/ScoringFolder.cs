using System.Text;

namespace Gatehouse.Inspection.Normalization;

/// <summary>
/// Folding for scoring only (offsets are not kept): lower case, leetspeak digits and symbols inside words
/// (<c>1gn0r3</c> → <c>ignore</c>), spaced-out letters joined (<c>i g n o r e</c> → <c>ignore</c>), whitespace collapsed.
/// </summary>
public static class ScoringFolder
{
    /// <summary>Folds already-normalized text for rule matching and model features.</summary>
    public static string Fold(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        var builder = new StringBuilder(normalized.Length);
        var previousSpace = true;
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (char.IsWhiteSpace(c))
            {
                if (!previousSpace)
                {
                    builder.Append(' ');
                    previousSpace = true;
                }

                continue;
            }

            if (IsSpacedLetterRun(normalized, i, out var end))
            {
                for (var j = i; j < end; j += 2)
                {
                    builder.Append(char.ToLowerInvariant(normalized[j]));
                }

                i = end - 1;
                previousSpace = false;
                continue;
            }

            builder.Append(FoldChar(normalized, i));
            previousSpace = false;
        }

        return builder.ToString();
    }

    private static char FoldChar(string text, int i)
    {
        var c = text[i];
        if (char.IsAsciiLetter(c))
        {
            return char.ToLowerInvariant(c);
        }

        var digit = c is >= '0' and <= '9';
        var leet = c switch
        {
            '0' => 'o',
            '1' or '!' => 'i',
            '3' => 'e',
            '4' => 'a',
            '5' or '$' => 's',
            '7' or '+' => 't',
            _ => '\0',
        };

        // Only inside a word: "2024", "1 + 1", "hello!" and "a@b" stay as they are; digits need a letter on one side,
        // symbols on both.
        var before = IsLetterAt(text, i - 1);
        var after = IsLetterAt(text, i + 1);
        if (leet != '\0' && (digit ? before || after : before && after))
        {
            return leet;
        }

        return char.ToLowerInvariant(c);
    }

    private static bool IsLetterAt(string text, int i) => (uint)i < (uint)text.Length && char.IsAsciiLetter(text[i]);

    // "i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e": at least four single letters, one separator kind between.
    private static bool IsSpacedLetterRun(string text, int start, out int end)
    {
        end = start;
        if (!char.IsAsciiLetter(text[start]) || IsLetterAt(text, start - 1) || start + 1 >= text.Length)
        {
            return false;
        }

        var separator = text[start + 1];
        if (separator is not (' ' or '.' or '-' or '_' or '*'))
        {
            return false;
        }

        var count = 1;
        var i = start;
        while (i + 2 < text.Length && text[i + 1] == separator && char.IsAsciiLetter(text[i + 2])
               && (i + 3 >= text.Length || !char.IsAsciiLetter(text[i + 3])))
        {
            i += 2;
            count++;
        }

        end = i + 1;
        return count >= 4;
    }
}
