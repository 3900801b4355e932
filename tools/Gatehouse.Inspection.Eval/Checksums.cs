using System.Numerics;

namespace Gatehouse.Inspection.Eval;

/// <summary>
/// Check digits for generated values, written here from the standards (ISO 7812 Luhn, ISO 13616 IBAN mod-97,
/// GitHub's CRC32 token checksum) and independent of the detectors' own validators, so a bug in one shows in the other.
/// </summary>
internal static class Checksums
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The Luhn check digit to append to <paramref name="payload"/>.</summary>
    public static char LuhnDigit(string payload)
    {
        var sum = 0;
        var doubled = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = payload[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>The two IBAN check digits for a country code and BBAN (98 − (BBAN + country + "00") mod 97).</summary>
    public static string IbanCheck(string country, string bban)
    {
        var rearranged = bban + country + "00";
        var digits = new System.Text.StringBuilder();
        foreach (var c in rearranged)
        {
            digits.Append(char.IsAsciiDigit(c) ? c.ToString() : (char.ToUpperInvariant(c) - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var remainder = (int)(BigInteger.Parse(digits.ToString(), System.Globalization.CultureInfo.InvariantCulture) % 97);
        return (98 - remainder).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>GitHub's token checksum: CRC32 of the random part, in base62, left-padded with zeros to six characters.</summary>
    public static string GitHubChecksum(string random)
    {
        var crc = System.IO.Hashing.Crc32.HashToUInt32(System.Text.Encoding.ASCII.GetBytes(random));
        var chars = new char[6];
        for (var i = 5; i >= 0; i--)
        {
            chars[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }

        return new string(chars);
    }
}
