using System.Text;

namespace Gatehouse.Inspection.Normalization;

/// <summary>Per-code-point folding to ASCII (compatibility forms, accents, confusables) and the invisible characters to drop.</summary>
public static class CharFolding
{
    /// <summary>The ASCII text a code point folds to, or null when it has no folding (it is kept as is).</summary>
    public static string? Fold(int codePoint)
    {
        if (codePoint < 0x80)
        {
            return null;
        }

        var starts = FoldTable.Starts;
        var index = starts.BinarySearch(codePoint);
        if (index < 0)
        {
            index = ~index - 1;
            if (index < 0)
            {
                return null;
            }
        }

        var offset = codePoint - starts[index];
        if (offset >= FoldTable.Lengths[index])
        {
            return null;
        }

        var target = FoldTable.Targets[index];
        return offset == 0 ? target : AsciiStrings.Get((char)(target[0] + offset));
    }

    /// <summary>True for zero-width, bidirectional-control, soft-hyphen, variation-selector and tag characters, which obfuscate but show nothing.</summary>
    public static bool IsInvisible(int codePoint) => codePoint switch
    {
        0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x180E or 0x3164 or 0xFEFF or 0xFFA0 => true,
        >= 0x200B and <= 0x200F => true,
        >= 0x202A and <= 0x202E => true,
        >= 0x2060 and <= 0x206F => true,
        >= 0xFE00 and <= 0xFE0F => true,
        >= 0xE0000 and <= 0xE007F => true,
        >= 0xE0100 and <= 0xE01EF => true,
        _ => false,
    };

    /// <summary>True for combining marks (Zalgo text, stray accents), which folding drops.</summary>
    public static bool IsMark(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        return category is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.EnclosingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark;
    }
}
