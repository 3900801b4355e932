using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        var i = 0;
        while (i < text.Length)
        {
            // Most characters fold one to one: 16 at a time while they do.
            if (Vector256.IsHardwareAccelerated)
            {
                var plain = FoldPlain(text, i, previousSpace, destination[length..]);
                if (plain > 0)
                {
                    i += plain;
                    length += plain;
                    previousSpace = IsAsciiWhiteSpace(text[i - 1]);
                    if (i == text.Length)
                    {
                        break;
                    }
                }
            }

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

                    i = end;
                }
                else
                {
                    // The rest of the word's letters in a tight loop.
                    do
                    {
                        destination[length++] = (char)(text[i++] | 0x20);
                    }
                    while (i < text.Length && char.IsAsciiLetter(text[i]));
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

                // The rest of the run collapses into the space.
                do
                {
                    i++;
                }
                while (i < text.Length && char.IsWhiteSpace(text[i]));
                continue;
            }

            destination[length++] = FoldChar(text, i);
            previousSpace = false;
            i++;
        }

        return length;
    }

    // Folds the characters from i into destination while they fold one to one, 16 at a time, and returns how many do
    // before the first that needs the character-by-character rules (or the last block that fits, one character being
    // read past it to look ahead). One to one, an ASCII letter is lower-cased, ASCII whitespace becomes a space and
    // any other ASCII character is kept. Not one to one, or not known to be without looking further: a character
    // beyond ASCII, whitespace after whitespace (collapsed), a leetspeak digit or symbol next to a letter, and a
    // letter after a non-letter followed by a separator (a spaced-out run may start there). The next block's address
    // does not wait for this one's test, so blocks overlap in the pipeline.
    private static int FoldPlain(ReadOnlySpan<char> text, int i, bool previousSpace, Span<char> destination)
    {
        ref var source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        ref var target = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(destination));
        var from = i;

        // The neighbours of a block's first character, from before it.
        var letterBefore = i > 0 && char.IsAsciiLetter(text[i - 1]) ? 1u : 0;
        var spaceBefore = previousSpace ? 1u : 0;
        for (; i + Vector256<ushort>.Count < text.Length; i += Vector256<ushort>.Count)
        {
            var c = Vector256.LoadUnsafe(ref source, (nuint)i);
            var lower = c | Vector256.Create((ushort)0x20);
            var letter = Vector256.LessThanOrEqual(lower - Vector256.Create((ushort)'a'), Vector256.Create((ushort)('z' - 'a')));
            var space = Vector256.Equals(c, Vector256.Create((ushort)' ')) | Vector256.LessThanOrEqual(c - Vector256.Create((ushort)'\t'), Vector256.Create((ushort)('\r' - '\t')));
            var leet = Vector256.LessThanOrEqual(c - Vector256.Create((ushort)'0'), Vector256.Create((ushort)9))
                | Vector256.Equals(c, Vector256.Create((ushort)'!')) | Vector256.Equals(c, Vector256.Create((ushort)'$')) | Vector256.Equals(c, Vector256.Create((ushort)'+'));
            var separator = Vector256.Equals(c, Vector256.Create((ushort)' ')) | Vector256.Equals(c, Vector256.Create((ushort)'.'))
                | Vector256.Equals(c, Vector256.Create((ushort)'-')) | Vector256.Equals(c, Vector256.Create((ushort)'_')) | Vector256.Equals(c, Vector256.Create((ushort)'*'));
            var folded = Vector256.ConditionalSelect(space, Vector256.Create((ushort)' '), Vector256.ConditionalSelect(letter, lower, c));
            folded.StoreUnsafe(ref target, (nuint)(i - from));

            // Bit j for character i + j.
            var letters = letter.ExtractMostSignificantBits();
            var spaces = space.ExtractMostSignificantBits();
            var after = text[i + Vector256<ushort>.Count];
            var lettersBefore = (letters << 1) | letterBefore;
            var lettersAfter = (letters >> 1) | (char.IsAsciiLetter(after) ? 1u << 15 : 0);
            var separatorsAfter = (separator.ExtractMostSignificantBits() >> 1) | (IsSeparator(after) ? 1u << 15 : 0);
            var special = Vector256.GreaterThan(c, Vector256.Create((ushort)0x7F)).ExtractMostSignificantBits()
                | (spaces & ((spaces << 1) | spaceBefore))
                | (leet.ExtractMostSignificantBits() & (lettersBefore | lettersAfter))
                | (letters & ~lettersBefore & separatorsAfter);
            if (special != 0)
            {
                return i - from + BitOperations.TrailingZeroCount(special);
            }

            letterBefore = letters >> 15;
            spaceBefore = spaces >> 15;
        }

        return i - from;
    }

    // The whitespace characters of char.IsWhiteSpace below 0x80.
    private static bool IsAsciiWhiteSpace(char c) => c is ' ' or (>= '\t' and <= '\r');

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSeparator(char c) => c is ' ' or '.' or '-' or '_' or '*';

    /// <summary>What text[i], neither an ASCII letter nor whitespace, folds to: a leetspeak letter inside a word, else itself (lower-cased beyond ASCII).</summary>
    internal static char FoldChar(ReadOnlySpan<char> text, int i)
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

    /// <summary>
    /// True when a spaced-out run starts at <paramref name="start"/>, which ends before <paramref name="end"/>: "i g n o r e",
    /// "i.g.n.o.r.e", "i-g-n-o-r-e", at least four single letters, one separator kind between. The caller has checked that
    /// text[start] is a letter with no letter before it.
    /// </summary>
    internal static bool IsSpacedLetterRun(ReadOnlySpan<char> text, int start, out int end)
    {
        end = start;
        if (start + 1 >= text.Length)
        {
            return false;
        }

        var separator = text[start + 1];
        if (!IsSeparator(separator))
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
