using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Inspection.Pii;
using Xunit;

namespace Gatehouse.Inspection.Tests.Pii;

/// <summary>The candidate patterns written in code must find exactly what their regular expressions find.</summary>
public class CandidatePatternTests
{
    private const string NumberAlphabet = "0123456789012345678901234567890123456789      ..--()+/#:_aZ\u0663\u0300\u00e9\u200d";
    private static readonly string[] SsnTokens = ["123-45-6789", "123 45 6789", "123", "45", "6789", "-", "-", " ", " ", "0", "x", "\u0663"];
    private const string EmailAlphabet = "abcxyzABC0123456789......@@@-_%+  ,:#\u00e9";
    private const string IbanAlphabet = "DEGBNLzx0123456789012345678901234567890123456789          -.\u0663\u00e9";
    private static readonly string[] IpV4Tokens = ["1", "12", "123", "1234", "255", "0", ".", ".", ".", " ", "-", ":", "a", "\u0663", "1.2.3.4"];
    private static readonly string[] IpV6Tokens = ["::", ":", ":", "a", "ff", "2001", "db8", "12345", "0", "1.2.3.4", "10.0.0.1", ".", "g", " ", "_", "\u0663", "\u00e9", "\u0663.\u0663\u0663.1.\u0663"];

    public static TheoryData<string> Names => ["phone", "card", "ssn", "email", "iban", "ipv4", "ipv6"];

    [Fact]
    public void Word_and_digit_classes_are_the_regex_engines()
    {
        var word = new Regex(@"\w");
        var digit = new Regex(@"\d");
        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            var s = c.ToString();
            Assert.True(word.IsMatch(s) == PatternChars.IsWordChar(c), $"\\w U+{(int)c:X4}");
            Assert.True(digit.IsMatch(s) == PatternChars.IsDigit(c), $"\\d U+{(int)c:X4}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Finds_what_the_pattern_finds_in_the_eval_sets(string name)
    {
        var count = 0;
        foreach (var file in new[] { "pii-generated.jsonl", "secrets-generated.jsonl", "injection-tune.jsonl" })
        {
            foreach (var text in Texts(file))
            {
                count += Compare(name, text, 0, text.Length);
                for (var from = 0; from < text.Length; from += 7)
                {
                    Compare(name, text, from, Math.Min(text.Length, from + 23));
                }
            }
        }

        Assert.True(count > 100, $"{count} matches");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Finds_what_the_pattern_finds_in_random_text(string name)
    {
        var random = new Random(20261126);
        var alphabet = name switch
        {
            "email" => EmailAlphabet,
            "iban" => IbanAlphabet,
            _ => NumberAlphabet,
        };
        var count = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var chars = new char[random.Next(1, name == "iban" ? 60 : 40)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var text = name switch
            {
                "ssn" => Tokens(random, SsnTokens, 12),
                "ipv4" => Tokens(random, IpV4Tokens, 16),
                "ipv6" => Tokens(random, IpV6Tokens, 16),
                _ => new string(chars),
            };
            var from = random.Next(text.Length);
            count += Compare(name, text, from, random.Next(from, text.Length + 1));
        }

        Assert.True(count > 50, $"{count} matches");
    }

    [Theory]
    [InlineData("phone", "+1 (212) 555-0147", "+1 (212) 555-0147")]
    [InlineData("phone", "call 0044 20 7946 0958.", "0044 20 7946 0958")]
    [InlineData("phone", "+49 30 1234 5678 9012 3456 7 8", "+49 30 1234 5678 9012 3456 7")]
    [InlineData("phone", "v1.2 555-0147", "555-0147")]
    [InlineData("phone", "v1.2.555-0147", null)]
    [InlineData("phone", "tel 555 0147", "555 0147")]
    [InlineData("card", "4111 1111 1111 1111", "4111 1111 1111 1111")]
    [InlineData("card", "4111-1111-1111-1111-2222-3333", null)]
    [InlineData("card", "id 4111111111111111 5", "4111111111111111 5")]
    [InlineData("ssn", "123-45-6789", "123-45-6789")]
    [InlineData("ssn", "123-45 6789", null)]
    [InlineData("ssn", "123-45-6789-1", null)]
    [InlineData("email", "mail jane.doe@mail.example.com.", "jane.doe@mail.example.com")]
    [InlineData("email", "x@y a@b.co", "a@b.co")]
    [InlineData("email", ".x@example.com", null)]
    [InlineData("iban", "DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00")]
    [InlineData("iban", "GB82WEST12345698765432", "GB82WEST12345698765432")]
    [InlineData("iban", "DE89 3704 0044 0532 0130 0044 0532 0130 ABCD", "DE89 3704 0044 0532 0130 0044 0532 0130")]
    [InlineData("iban", "DE89 3704 0044 0532 0130 0044 0532 0130ABCD", "DE89 3704 0044 0532 0130 0044 0532")]
    [InlineData("iban", "xDE89 3704 0044", null)]
    [InlineData("ipv4", "10.0.0.1", "10.0.0.1")]
    [InlineData("ipv4", "1.2.3.4.5", null)]
    [InlineData("ipv4", "1.2.3.1234 5.6.7.8.", "5.6.7.8")]
    [InlineData("ipv6", "2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334")]
    [InlineData("ipv6", "::ffff:192.0.2.128", "::ffff:192")]
    [InlineData("ipv6", "::ffff:192.0.2.128x", "::ffff:192")]
    [InlineData("ipv6", "x ::1.2.3.4", "::1")]
    [InlineData("ipv6", "a:b:1.2.3.4", "a:b:1")]
    [InlineData("ipv6", "1:2:3:4:5:6:7:8:9", null)]
    [InlineData("ipv6", "fe80::1%eth0", "fe80::1")]
    public void Edge_cases_at_the_end_of_the_text(string name, string text, string? expected)
    {
        var start = Next(name, text, 0, text.Length, out var length);
        Assert.Equal(expected, start < 0 ? null : text.Substring(start, length));
        Compare(name, text, 0, text.Length);
    }

    private static int Compare(string name, string text, int from, int end)
    {
        var expected = new List<(int, int)>();
        foreach (var match in Windows.Matches(Pattern(name), text, from, end))
        {
            expected.Add((match.Index, match.Length));
        }

        var actual = new List<(int, int)>();
        for (var next = from; Next(name, text, next, end, out var length) is >= 0 and var index; next = index + length)
        {
            actual.Add((index, length));
        }

        Assert.True(expected.SequenceEqual(actual), $"{name} on \"{text}\" [{from}, {end}): regex {string.Join(" ", expected)}, code {string.Join(" ", actual)}");
        return expected.Count;
    }

    private static IEnumerable<string> Texts(string file) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "eval", file)).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!);

    private static Regex Pattern(string name) => name switch
    {
        "phone" => PiiPatterns.Phone(),
        "card" => PiiPatterns.Card(),
        "ssn" => PiiPatterns.SsnSeparated(),
        "email" => PiiPatterns.Email(),
        "iban" => PiiPatterns.Iban(),
        "ipv4" => PiiPatterns.IpV4(),
        _ => PiiPatterns.IpV6(),
    };

    private static int Next(string name, string text, int from, int end, out int length) => name switch
    {
        "phone" => PhonePattern.Next(text, from, end, out length),
        "card" => CardPattern.Next(text, from, end, out length),
        "ssn" => SsnPattern.Next(text, from, end, out length),
        "email" => EmailPattern.Next(text, from, end, out length),
        "iban" => IbanPattern.Next(text, from, end, out length),
        "ipv4" => IpV4Pattern.Next(text, from, end, out length),
        _ => IpV6Pattern.Next(text, from, end, out length),
    };

    private static string Tokens(Random random, string[] tokens, int most) =>
        string.Concat(Enumerable.Range(0, random.Next(1, most)).Select(_ => tokens[random.Next(tokens.Length)]));
}
