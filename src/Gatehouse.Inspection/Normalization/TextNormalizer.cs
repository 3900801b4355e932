using System.Text;

namespace Gatehouse.Inspection.Normalization;

/// <summary>
/// Folds obfuscated text to plain ASCII where it has a lookalike: compatibility forms (fullwidth, mathematical
/// alphanumerics, circled and squared letters, ligatures), accents, Cyrillic/Greek confusables; drops zero-width,
/// bidi-control and combining characters. Keeps a map back to original offsets.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Normalizes <paramref name="text"/>; returns the same string (identity map) when nothing needs folding.</summary>
    public static NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NeedsWork(text))
        {
            return new NormalizedText(text, null, text.Length);
        }

        var builder = new StringBuilder(text.Length);
        var map = new List<int>(text.Length);
        var span = text.AsSpan();
        var index = 0;
        while (index < span.Length)
        {
            var c = span[index];
            if (c < 0x80)
            {
                builder.Append(c);
                map.Add(index);
                index++;
                continue;
            }

            if (Rune.DecodeFromUtf16(span[index..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                // A lone surrogate: keep the code unit so offsets stay honest.
                builder.Append(c);
                map.Add(index);
                index++;
                continue;
            }

            AppendFolded(rune, index, builder, map);
            index += consumed;
        }

        return new NormalizedText(builder.ToString(), [.. map], text.Length);
    }

    /// <summary>True when the text holds a character that normalization would change.</summary>
    public static bool NeedsWork(ReadOnlySpan<char> text) => text.IndexOfAnyExceptInRange('\0', '\x7f') >= 0;

    private static void AppendFolded(Rune rune, int origin, StringBuilder builder, List<int> map)
    {
        var codePoint = rune.Value;
        if (CharFolding.IsInvisible(codePoint) || CharFolding.IsMark(rune))
        {
            return;
        }

        var folded = CharFolding.Fold(codePoint);
        if (folded is null)
        {
            Span<char> units = stackalloc char[2];
            var written = rune.EncodeToUtf16(units);
            for (var i = 0; i < written; i++)
            {
                builder.Append(units[i]);
                map.Add(origin);
            }

            return;
        }

        foreach (var f in folded)
        {
            builder.Append(f);
            map.Add(origin);
        }
    }
}
