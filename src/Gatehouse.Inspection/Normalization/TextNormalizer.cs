using System.Buffers;
using System.Text;

namespace Gatehouse.Inspection.Normalization;

/// <summary>
/// Folds obfuscated text to plain ASCII where it has a lookalike: compatibility forms (fullwidth, mathematical
/// alphanumerics, circled and squared letters, ligatures), accents, Cyrillic/Greek confusables; drops zero-width,
/// bidi-control and combining characters. Keeps a map back to original offsets (built only when first asked for).
/// </summary>
/// <remarks>
/// The last text that needed work is remembered per thread, so detectors that run one after the other on the same
/// request text (content policy, then prompt injection) normalize it once.
/// </remarks>
public static class TextNormalizer
{
    /// <summary>Longest text whose result is remembered for the next detector on the same thread.</summary>
    private const int MaxRememberedChars = 65_536;

    [ThreadStatic]
    private static NormalizedText? t_last;

    /// <summary>Normalizes <paramref name="text"/>; returns the same string (identity map) when nothing needs folding.</summary>
    public static NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NeedsWork(text))
        {
            return new NormalizedText(text, null, text.Length);
        }

        return Remembered(text) ?? Remember(Fold(text, text));
    }

    /// <summary>Normalizes <paramref name="text"/> without copying it when it is the text normalized last on this thread.</summary>
    public static NormalizedText Normalize(ReadOnlySpan<char> text)
    {
        if (!NeedsWork(text))
        {
            return new NormalizedText(text.ToString(), null, text.Length);
        }

        return Remembered(text) ?? Normalize(text.ToString());
    }

    /// <summary>True when the text holds a character that normalization would change.</summary>
    public static bool NeedsWork(ReadOnlySpan<char> text) => text.IndexOfAnyExceptInRange('\0', '\x7f') >= 0;

    /// <summary>The map from each position of <paramref name="normalizedLength"/> normalized characters back to <paramref name="original"/>.</summary>
    internal static int[] BuildMap(string original, int normalizedLength)
    {
        var map = new int[normalizedLength];
        var buffer = ArrayPool<char>.Shared.Rent(original.Length + 16);
        try
        {
            var length = FoldInto(original, ref buffer, map);
            return length == normalizedLength ? map : throw new InvalidOperationException("Normalization is not deterministic.");
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static NormalizedText? Remembered(ReadOnlySpan<char> text)
    {
        var last = t_last;
        return last is not null && text.SequenceEqual(last.Original) ? last : null;
    }

    private static NormalizedText Remember(NormalizedText normalized)
    {
        if (normalized.Original.Length <= MaxRememberedChars)
        {
            t_last = normalized;
        }

        return normalized;
    }

    private static NormalizedText Fold(string original, ReadOnlySpan<char> text)
    {
        var buffer = ArrayPool<char>.Shared.Rent(text.Length + 16);
        try
        {
            var length = FoldInto(text, ref buffer, null);
            return new NormalizedText(new string(buffer, 0, length), original);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    // Writes the normalized text into buffer (grown from the pool when folding expands it), and with a map, the
    // original position of each written character.
    private static int FoldInto(ReadOnlySpan<char> text, ref char[] buffer, int[]? map)
    {
        var length = 0;
        var index = 0;
        while (index < text.Length)
        {
            var ascii = text[index..].IndexOfAnyExceptInRange('\0', '\x7f');
            var run = ascii < 0 ? text.Length - index : ascii;
            if (run > 0)
            {
                Ensure(ref buffer, length, run);
                text.Slice(index, run).CopyTo(buffer.AsSpan(length));
                if (map is not null)
                {
                    for (var k = 0; k < run; k++)
                    {
                        map[length + k] = index + k;
                    }
                }

                length += run;
                index += run;
                if (ascii < 0)
                {
                    break;
                }
            }

            var c = text[index];
            if (Rune.DecodeFromUtf16(text[index..], out var rune, out var consumed) != OperationStatus.Done)
            {
                // A lone surrogate: keep the code unit so offsets stay honest.
                Ensure(ref buffer, length, 1);
                Append(buffer, map, ref length, c, index);
                index++;
                continue;
            }

            var codePoint = rune.Value;
            if (!CharFolding.IsInvisible(codePoint) && !CharFolding.IsMark(rune))
            {
                var folded = CharFolding.Fold(codePoint);
                if (folded is null)
                {
                    Ensure(ref buffer, length, 2);
                    var written = rune.EncodeToUtf16(buffer.AsSpan(length));
                    for (var k = 0; k < written; k++)
                    {
                        Append(buffer, map, ref length, buffer[length], index);
                    }
                }
                else
                {
                    Ensure(ref buffer, length, folded.Length);
                    foreach (var f in folded)
                    {
                        Append(buffer, map, ref length, f, index);
                    }
                }
            }

            index += consumed;
        }

        return length;
    }

    private static void Append(char[] buffer, int[]? map, ref int length, char c, int origin)
    {
        buffer[length] = c;
        if (map is not null)
        {
            map[length] = origin;
        }

        length++;
    }

    private static void Ensure(ref char[] buffer, int length, int more)
    {
        if (length + more <= buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(buffer.Length * 2, length + more));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<char>.Shared.Return(buffer);
        buffer = larger;
    }
}
