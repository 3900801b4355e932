using System.Collections.Frozen;

namespace Gatehouse.Inspection.Pii;

/// <summary>IBAN validation: country code, the registered length for that country, and the ISO 7064 mod-97 check.</summary>
public static class Iban
{
    private const string Registry =
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 "
        + "ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 "
        + "LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 "
        + "PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";

    private static readonly FrozenDictionary<string, int> Lengths = Registry.Split(' ')
        .ToFrozenDictionary(e => e[..2], e => int.Parse(e.AsSpan(2), provider: null), StringComparer.Ordinal);

    /// <summary>The registered IBAN length of a two-letter upper-case country code, or 0 when the country has no IBAN.</summary>
    public static int LengthOf(string countryCode) => Lengths.GetValueOrDefault(countryCode);

    /// <summary>True when <paramref name="compact"/> (upper case, no spaces) is a valid IBAN.</summary>
    public static bool IsValid(ReadOnlySpan<char> compact)
    {
        if (compact.Length < 15 || compact.Length > 34 || !char.IsAsciiLetterUpper(compact[0]) || !char.IsAsciiLetterUpper(compact[1])
            || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return false;
        }

        var lookup = Lengths.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(compact[..2], out var expected) || expected != compact.Length)
        {
            return false;
        }

        return Mod97(compact) == 1;
    }

    /// <summary>The remainder mod 97 of the rearranged IBAN (first four characters moved to the end, letters as 10..35).</summary>
    public static int Mod97(ReadOnlySpan<char> compact)
    {
        var start = compact.IsEmpty ? 0 : 4 % compact.Length;
        var remainder = Mod97(compact[start..], 0);
        return remainder < 0 ? -1 : Mod97(compact[..start], remainder);
    }

    // The remainder mod 97 of `remainder` followed by the characters of `part`, or -1 at a character that is neither
    // a digit nor an upper-case letter.
    private static int Mod97(ReadOnlySpan<char> part, int remainder)
    {
        foreach (var c in part)
        {
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return -1;
            }
        }

        return remainder;
    }
}
