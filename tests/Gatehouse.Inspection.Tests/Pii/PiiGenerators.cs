using Gatehouse.Inspection.Pii;

namespace Gatehouse.Inspection.Tests.Pii;

/// <summary>Generated card numbers, IBANs and SSNs with valid and deliberately broken checksums.</summary>
internal static class PiiGenerators
{
    private static readonly string[] CardPrefixes = ["4", "51", "55", "2221", "2720", "34", "37", "6011", "65", "3530"];

    public static string ValidCard(Random random)
    {
        var prefix = CardPrefixes[random.Next(CardPrefixes.Length)];
        var length = prefix is "34" or "37" ? 15 : 16;
        var payload = prefix + Digits(random, length - 1 - prefix.Length);
        return payload + Luhn.CheckDigit(payload);
    }

    public static string InvalidCard(Random random)
    {
        var valid = ValidCard(random);
        var last = (char)('0' + (((valid[^1] - '0') + 1 + random.Next(8)) % 10));
        return valid[..^1] + last;
    }

    public static string ValidIban(Random random, string country = "DE")
    {
        var length = Iban.LengthOf(country);
        var bban = Digits(random, length - 4);
        var check = 98 - Iban.Mod97(country + "00" + bban);
        return country + check.ToString("00") + bban;
    }

    public static string InvalidIban(Random random)
    {
        var valid = ValidIban(random);
        var check = int.Parse(valid.AsSpan(2, 2));
        return valid[..2] + ((check % 97) + 1).ToString("00") + valid[4..];
    }

    public static string ValidSsn(Random random)
    {
        var area = random.Next(1, 900);
        if (area == 666)
        {
            area = 665;
        }

        return $"{area:000}-{random.Next(1, 100):00}-{random.Next(1, 10000):0000}";
    }

    public static string Digits(Random random, int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('0' + random.Next(10));
        }

        return new string(chars);
    }
}
