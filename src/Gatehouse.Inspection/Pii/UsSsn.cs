namespace Gatehouse.Inspection.Pii;

/// <summary>The SSA rules for a possible US social security number (area, group, serial).</summary>
public static class UsSsn
{
    /// <summary>True when the nine digits have area not 000, 666 or 9xx, group not 00 and serial not 0000, and are not a well-known example number.</summary>
    public static bool IsValid(ReadOnlySpan<char> nineDigits)
    {
        if (nineDigits.Length != 9 || nineDigits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        var area = int.Parse(nineDigits[..3], provider: null);
        var group = int.Parse(nineDigits[3..5], provider: null);
        var serial = int.Parse(nineDigits[5..], provider: null);
        if (area is 0 or 666 or >= 900 || group == 0 || serial == 0)
        {
            return false;
        }

        // Advertised examples (Woolworth wallet card, SSA pamphlet) and all-same or sequential digits.
        return !nineDigits.SequenceEqual("078051120") && !nineDigits.SequenceEqual("219099999")
            && !nineDigits.SequenceEqual("123456789") && nineDigits.ContainsAnyExcept(nineDigits[0]);
    }
}
