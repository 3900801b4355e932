using System.Buffers;

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
        var buffer = ArrayPool<char>.Shared.Rent(normalized.Length);
        try
        {
            var length = Fold(normalized, buffer);
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Folds <paramref name="text"/> into <paramref name="destination"/> (at least as long: folding never lengthens
    /// text); returns the folded length.
    /// </summary>
    public static int Fold(ReadOnlySpan<char> text, Span<char> destination)
    {
        if (destination.Length < text.Length)
        {
            throw new ArgumentException("The destination must be at least as long as the text.", nameof(destination));
        }

        var length = 0;
        var previousSpace = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetter(c))
            {
                // Inside a word (the common case) a letter is only lower-cased; a spaced-out run starts after a non-letter.
                if ((i == 0 || !char.IsAsciiLetter(text[i - 1])) && IsSpacedLetterRun(text, i, out var end))
                {
                    for (var j = i; j < end; j += 2)
                    {
                        destination[length++] = (char)(text[j] | 0x20);
                    }

                    i = end - 1;
                }
                else
                {
                    // The rest of the word's letters in a tight loop.
                    destination[length++] = (char)(c | 0x20);
                    while (i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))
                    {
                        destination[length++] = (char)(text[++i] | 0x20);
                    }
                }

                previousSpace = false;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!previousSpace)
                {
                    destination[length++] = ' ';
                    previousSpace = true;
                }

                continue;
            }

            destination[length++] = FoldChar(text, i);
            previousSpace = false;
        }

        return length;
    }

    private static char FoldChar(ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
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
        if (leet != '\0')
        {
            var before = IsLetterAt(text, i - 1);
            var after = IsLetterAt(text, i + 1);
            if (digit ? before || after : before && after)
            {
                return leet;
            }
        }

        return c < 0x80 ? c : char.ToLowerInvariant(c);
    }

    private static bool IsLetterAt(ReadOnlySpan<char> text, int i) => (uint)i < (uint)text.Length && char.IsAsciiLetter(text[i]);

    // "i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e": at least four single letters, one separator kind between.
    // The caller has checked that text[start] is a letter with no letter before it.
    private static bool IsSpacedLetterRun(ReadOnlySpan<char> text, int start, out int end)
    {
        end = start;
        if (start + 1 >= text.Length)
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
