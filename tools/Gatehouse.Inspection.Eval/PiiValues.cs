using System.Globalization;
using System.Text;

namespace Gatehouse.Inspection.Eval;

/// <summary>Realistic personal-data values with valid check digits, and the look-alikes (hard negatives) a detector must leave alone.</summary>
internal sealed class PiiValues(Random random)
{
    private static readonly string[] FirstNames = ["anna", "james", "li", "maria", "oluwaseun", "sven", "priya", "diego", "chloe", "mohammed", "yuki", "fatima", "tomasz", "grace", "noah", "ines"];
    private static readonly string[] LastNames = ["schmidt", "okafor", "garcia", "nguyen", "smith", "kowalski", "tanaka", "dubois", "haddad", "oconnor", "silva", "larsen", "patel", "rossi"];
    private static readonly string[] Domains = ["example.com", "mail.example.org", "acme-corp.io", "contoso.co.uk", "uni-heidelberg.de", "fastmail.fm", "company.com.au", "startup.ai", "posteo.de", "health-partners.net"];
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    // Card networks: IIN prefix, length, grouping.
    private static readonly (string Prefix, int Length, int[] Groups)[] Networks =
    [
        ("4", 16, [4, 4, 4, 4]), ("4", 16, [4, 4, 4, 4]), ("51", 16, [4, 4, 4, 4]), ("55", 16, [4, 4, 4, 4]), ("2221", 16, [4, 4, 4, 4]),
        ("2720", 16, [4, 4, 4, 4]), ("34", 15, [4, 6, 5]), ("37", 15, [4, 6, 5]), ("6011", 16, [4, 4, 4, 4]), ("65", 16, [4, 4, 4, 4]),
        ("3530", 16, [4, 4, 4, 4]), ("36", 14, [4, 6, 4]),
    ];

    // IBAN countries: code, BBAN shape (n = digit, a = upper-case letter, c = letter or digit).
    private static readonly (string Country, string Bban)[] IbanCountries =
    [
        ("DE", "nnnnnnnnnnnnnnnnnn"), ("GB", "aaaannnnnnnnnnnnnn"), ("FR", "nnnnnnnnnncccccccccccnn"), ("NL", "aaaannnnnnnnnn"),
        ("ES", "nnnnnnnnnnnnnnnnnnnn"), ("IT", "annnnnnnnnncccccccccccc"), ("CH", "nnnnncccccccccccc"), ("BE", "nnnnnnnnnnnn"),
        ("PL", "nnnnnnnnnnnnnnnnnnnnnnnn"), ("AT", "nnnnnnnnnnnnnnnn"), ("SE", "nnnnnnnnnnnnnnnnnnnn"), ("IE", "aaaannnnnnnnnnnnnn"),
        ("PT", "nnnnnnnnnnnnnnnnnnnnn"), ("NO", "nnnnnnnnnnn"), ("DK", "nnnnnnnnnnnnnn"), ("FI", "nnnnnnnnnnnnnn"),
    ];

    public string Pick(string[] items) => items[random.Next(items.Length)];

    public string Name() => Title(Pick(FirstNames)) + " " + Title(Pick(LastNames));

    public string Email() => random.Next(4) switch
    {
        0 => $"{Pick(FirstNames)}.{Pick(LastNames)}@{Pick(Domains)}",
        1 => $"{Pick(FirstNames)[0]}{Pick(LastNames)}{random.Next(1, 99)}@{Pick(Domains)}",
        2 => $"{Pick(FirstNames)}+{Pick(["billing", "news", "work", "shop"])}@{Pick(Domains)}",
        _ => $"{Pick(FirstNames)}_{Pick(LastNames)}@{Pick(Domains)}",
    };

    /// <summary>An international or national phone number in the country's usual grouping.</summary>
    public string Phone() => random.Next(14) switch
    {
        0 => $"+1 {Nanp()[..3]}-{Nanp()[3..6]}-{Digits(4)}",
        1 => $"+1 ({Area()}) {Exchange()}-{Digits(4)}",
        2 => $"({Area()}) {Exchange()}-{Digits(4)}",
        3 => $"{Area()}-{Exchange()}-{Digits(4)}",
        4 => $"+44 20 {Digits(4)} {Digits(4)}",
        5 => $"+44 7{Digits(3)} {Digits(6)}",
        6 => $"+49 30 {Digits(8)}",
        7 => $"+49 15{Digits(1)} {Digits(8)}",
        8 => $"+33 {random.Next(1, 8)} {Digits(2)} {Digits(2)} {Digits(2)} {Digits(2)}",
        9 => $"+91 9{Digits(4)} {Digits(5)}",
        10 => $"+81 3-{Digits(4)}-{Digits(4)}",
        11 => $"+55 11 9{Digits(4)}-{Digits(4)}",
        12 => $"+61 2 {Digits(4)} {Digits(4)}",
        _ => "+" + Pick(["44", "49", "34", "31", "61"]) + Digits(9),
    };

    private string Area() => random.Next(2, 10).ToString(CultureInfo.InvariantCulture) + Digits(2);

    private string Exchange() => random.Next(2, 10).ToString(CultureInfo.InvariantCulture) + Digits(2);

    private string Nanp() => Area() + Exchange();

    /// <summary>A Luhn-valid card number of a known network, written compact, with spaces or with dashes.</summary>
    public string Card() => FormatCard(ValidCardDigits(out var groups), groups);

    /// <summary>A card-shaped number (known network prefix and grouping) whose last digit fails Luhn.</summary>
    public string LuhnFailingCard()
    {
        var digits = ValidCardDigits(out var groups);
        var wrong = (char)('0' + ((digits[^1] - '0' + random.Next(1, 10)) % 10));
        return FormatCard(digits[..^1] + wrong, groups);
    }

    private string ValidCardDigits(out int[] groups)
    {
        var (prefix, length, g) = Networks[random.Next(Networks.Length)];
        groups = g;
        var payload = prefix + Digits(length - 1 - prefix.Length);
        return payload + Checksums.LuhnDigit(payload);
    }

    private string FormatCard(string digits, int[] groups)
    {
        var separator = random.Next(3) switch { 0 => "", 1 => " ", _ => "-" };
        var builder = new StringBuilder();
        var at = 0;
        foreach (var g in groups)
        {
            if (at > 0)
            {
                builder.Append(separator);
            }

            builder.Append(digits, at, g);
            at += g;
        }

        return builder.ToString();
    }

    /// <summary>A US SSN that obeys the SSA rules (area 001–899 but not 666, group 01–99, serial 0001–9999).</summary>
    public string Ssn(bool spaces = false)
    {
        var area = random.Next(1, 900);
        while (area == 666)
        {
            area = random.Next(1, 900);
        }

        var s = spaces ? " " : "-";
        return $"{area:000}{s}{random.Next(1, 100):00}{s}{random.Next(1, 10000):0000}";
    }

    /// <summary>An SSN-shaped number the SSA never issues: area 000, 666 or 900–999, group 00 or serial 0000.</summary>
    public string InvalidSsn() => random.Next(5) switch
    {
        0 => $"000-{random.Next(1, 100):00}-{random.Next(1, 10000):0000}",
        1 => $"666-{random.Next(1, 100):00}-{random.Next(1, 10000):0000}",
        2 => $"9{Digits(2)}-{random.Next(1, 100):00}-{random.Next(1, 10000):0000}",
        3 => $"{random.Next(1, 666):000}-00-{random.Next(1, 10000):0000}",
        _ => $"{random.Next(1, 666):000}-{random.Next(1, 100):00}-0000",
    };

    /// <summary>A valid IBAN, in groups of four (as printed) or compact (as typed).</summary>
    public string Iban() => FormatIban(IbanParts(out var country, out var bban), country, bban);

    /// <summary>An IBAN with the right shape and length whose check digits are wrong.</summary>
    public string IbanWithWrongCheck()
    {
        var check = int.Parse(IbanParts(out var country, out var bban), CultureInfo.InvariantCulture);
        var wrong = 2 + ((check - 2 + random.Next(1, 97)) % 97);
        return FormatIban(wrong.ToString("00", CultureInfo.InvariantCulture), country, bban);
    }

    private string IbanParts(out string country, out string bban)
    {
        var (code, shape) = IbanCountries[random.Next(IbanCountries.Length)];
        var builder = new StringBuilder();
        foreach (var c in shape)
        {
            builder.Append(c switch
            {
                'n' => (char)('0' + random.Next(10)),
                'a' => (char)('A' + random.Next(26)),
                _ => random.Next(3) == 0 ? (char)('A' + random.Next(26)) : (char)('0' + random.Next(10)),
            });
        }

        country = code;
        bban = builder.ToString();
        return Checksums.IbanCheck(code, bban);
    }

    private string FormatIban(string check, string country, string bban)
    {
        var compact = country + check + bban;
        if (random.Next(3) == 0)
        {
            return compact;
        }

        var builder = new StringBuilder();
        for (var i = 0; i < compact.Length; i += 4)
        {
            builder.Append(i == 0 ? "" : " ").Append(compact, i, Math.Min(4, compact.Length - i));
        }

        return builder.ToString();
    }

    public string IpV4() => random.Next(3) switch
    {
        0 => $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}",
        1 => $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}",
        _ => $"192.168.{random.Next(256)}.{random.Next(1, 255)}",
    };

    public string IpV6()
    {
        var groups = new string[8];
        groups[0] = Pick(["2001", "2a02", "2600", "2a00", "fd12", "2001"]);
        for (var i = 1; i < 8; i++)
        {
            groups[i] = random.Next(0x10000).ToString("x", CultureInfo.InvariantCulture);
        }

        if (random.Next(2) == 0)
        {
            return string.Join(':', groups);
        }

        // Compressed: a run of zero groups written as "::".
        var from = random.Next(2, 5);
        var to = from + random.Next(1, 3);
        return string.Join(':', groups[..from]) + "::" + string.Join(':', groups[(to + 1)..]);
    }

    /// <summary>A birth date in one of the common written forms (no "DOB" context: templates add it).</summary>
    public string BirthDate()
    {
        var year = random.Next(1935, 2008);
        var month = random.Next(1, 13);
        var day = random.Next(1, 29);
        return random.Next(7) switch
        {
            0 => $"{year}-{month:00}-{day:00}",
            1 => $"{day:00}/{month:00}/{year}",
            2 => $"{month}/{day}/{year}",
            3 => $"{day:00}.{month:00}.{year}",
            4 => $"{day} {Months[month - 1]} {year}",
            5 => $"{Months[month - 1]} {day}, {year}",
            _ => $"{day}{Ordinal(day)} of {Months[month - 1]} {year}",
        };
    }

    /// <summary>A date that is not a birth date (a deadline, a meeting).</summary>
    public string PlainDate() => random.Next(3) switch
    {
        0 => $"{random.Next(2019, 2027)}-{random.Next(1, 13):00}-{random.Next(1, 29):00}",
        1 => $"{random.Next(1, 29):00}/{random.Next(1, 13):00}/{random.Next(2019, 2027)}",
        _ => $"{Months[random.Next(12)]} {random.Next(1, 29)}, {random.Next(2019, 2027)}",
    };

    /// <summary>A four-part or three-part version number.</summary>
    public string Version() => random.Next(3) switch
    {
        0 => $"{random.Next(1, 20)}.{random.Next(10)}.{random.Next(10)}.{random.Next(1, 255)}",
        1 => $"{random.Next(1, 20)}.{random.Next(30)}.{random.Next(100)}",
        _ => $"{random.Next(5, 12)}.{random.Next(3)}.{random.Next(100, 250)}.{random.Next(1, 99)}",
    };

    public string OrderId() => random.Next(5) switch
    {
        0 => $"{Digits(3)}-{Digits(7)}-{Digits(7)}",
        1 => $"ORD-{random.Next(2019, 2027)}-{Digits(6)}",
        2 => $"#{Digits(12)}",
        3 => $"PO-{Digits(10)}",
        _ => $"{random.Next(1, 10)}{Digits(15)}",
    };

    public string Tracking() => random.Next(4) switch
    {
        0 => $"1Z{Digits(3)}{Letters(3)}{Digits(10)}",
        1 => $"{random.Next(1, 10)}{Digits(3)} {Digits(4)} {Digits(4)}",
        2 => $"9400 {Digits(4)} {Digits(4)} {Digits(4)} {Digits(4)} {Digits(2)}",
        _ => $"JD{Digits(18)}",
    };

    public string Timestamp() => random.Next(5) switch
    {
        0 => $"{random.Next(2019, 2027)}-{random.Next(1, 13):00}-{random.Next(1, 29):00}T{random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}Z",
        1 => $"{random.Next(2019, 2027)}-{random.Next(1, 13):00}-{random.Next(1, 29):00} {random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}.{Digits(3)}",
        2 => $"17{Digits(8)}",
        3 => $"17{Digits(11)}",
        _ => $"{random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}.{Digits(6)}",
    };

    public string Price() => random.Next(5) switch
    {
        0 => $"${random.Next(1, 99)},{Digits(3)}.{Digits(2)}",
        1 => $"€{random.Next(1, 999)}.{Digits(3)},{Digits(2)}",
        2 => $"USD {random.Next(1, 999)},{Digits(3)},{Digits(3)}.{Digits(2)}",
        3 => $"¥{random.Next(1, 999)},{Digits(3)}",
        _ => $"{random.Next(1, 99)} {Digits(3)} {Digits(3)},{Digits(2)} kr",
    };

    public string MacAddress()
    {
        var parts = new string[6];
        for (var i = 0; i < 6; i++)
        {
            parts[i] = random.Next(256).ToString("X2", CultureInfo.InvariantCulture);
        }

        return string.Join(':', parts);
    }

    public string Isbn() => $"978-{random.Next(0, 10)}-{Digits(2)}-{Digits(6)}-{random.Next(10)}";

    public string Uuid() => Guid.Parse(Hex(32)).ToString();

    public string Digits(int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('0' + random.Next(10));
        }

        return new string(chars);
    }

    private string Letters(int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('A' + random.Next(26));
        }

        return new string(chars);
    }

    private string Hex(int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = "0123456789abcdef"[random.Next(16)];
        }

        return new string(chars);
    }

    private static string Ordinal(int day) => (day % 10, day / 10) switch
    {
        (_, 1) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };

    private static string Title(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
