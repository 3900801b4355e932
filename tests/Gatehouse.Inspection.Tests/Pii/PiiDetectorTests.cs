using Gatehouse.Inspection.Pii;
using Xunit;

namespace Gatehouse.Inspection.Tests.Pii;

public class PiiDetectorTests
{
    private static readonly PiiDetector Detector = new();

    private static List<Detection> Find(string text, PiiDetector? detector = null)
    {
        var results = new List<Detection>();
        (detector ?? Detector).Detect(text, results);
        return results;
    }

    private static void AssertFinds(string text, string type, string value)
    {
        var found = Find(text);
        Assert.Contains(found, d => d.Type == type && text.Substring(d.Start, d.Length) == value);
    }

    private static void AssertNone(string text, string type) =>
        Assert.DoesNotContain(Find(text), d => d.Type == type);

    [Theory]
    [InlineData("Mail me at jane.doe+news@example.co.uk.", "jane.doe+news@example.co.uk")]
    [InlineData("<a href=\"mailto:bob@sub.mail.example.org\">", "bob@sub.mail.example.org")]
    public void Finds_emails(string text, string value) => AssertFinds(text, PiiTypes.Email, value);

    [Theory]
    [InlineData("@username on twitter")]
    [InlineData("git@ without domain")]
    [InlineData("decorator @property and a@b")]
    public void Ignores_non_emails(string text) => AssertNone(text, PiiTypes.Email);

    [Theory]
    [InlineData("Call +1 415 555 2671 now", "+1 415 555 2671")]
    [InlineData("E.164: +14155552671.", "+14155552671")]
    [InlineData("UK office +44 20 7946 0958", "+44 20 7946 0958")]
    [InlineData("ring (212) 555-0147 today", "(212) 555-0147")]
    [InlineData("phone: 212.555.0147", "212.555.0147")]
    [InlineData("Tel 0049 30 901820", "0049 30 901820")]
    [InlineData("mobile 06 12 34 56 78", "06 12 34 56 78")]
    public void Finds_phone_numbers(string text, string value) => AssertFinds(text, PiiTypes.Phone, value);

    [Theory]
    [InlineData("order 123456789012 shipped")]
    [InlineData("version 10.0.19041.1")]
    [InlineData("on 2024-01-31 12:00")]
    [InlineData("the total was 1,234,567")]
    [InlineData("build 20240131")]
    public void Ignores_non_phones(string text) => AssertNone(text, PiiTypes.Phone);

    [Fact]
    public void Finds_every_generated_valid_card_and_no_invalid_one()
    {
        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var card = PiiGenerators.ValidCard(random);
            var spaced = string.Join(' ', card.Chunk(4).Select(c => new string(c)));
            AssertFinds($"card {card} exp 12/29", PiiTypes.CreditCard, card);
            AssertFinds($"card: {spaced}.", PiiTypes.CreditCard, spaced);
            AssertNone($"card {PiiGenerators.InvalidCard(random)} exp", PiiTypes.CreditCard);
        }
    }

    [Theory]
    [InlineData("1234567812345670")] // Luhn-valid but no issuer starts with 1
    [InlineData("4111 1111-1111 1111")] // mixed separators
    [InlineData("4111111111111111")] // the classic Visa test number
    public void Card_edge_cases(string number)
    {
        var found = Find("n " + number).Any(d => d.Type == PiiTypes.CreditCard);
        Assert.Equal(number.StartsWith('4') && !number.Contains('-'), found);
    }

    [Fact]
    public void Finds_generated_valid_ssns_and_rejects_invalid_ones()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var ssn = PiiGenerators.ValidSsn(random);
            AssertFinds($"SSN {ssn} on file", PiiTypes.UsSsn, ssn);
        }

        foreach (var invalid in new[] { "000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000", "078-05-1120", "123-45 6789" })
        {
            AssertNone($"ssn {invalid}", PiiTypes.UsSsn);
        }
    }

    [Fact]
    public void Bare_nine_digits_are_an_ssn_only_in_context()
    {
        AssertFinds("my social security number is 123456780", PiiTypes.UsSsn, "123456780");
        AssertNone("tracking 123456780", PiiTypes.UsSsn);
    }

    [Fact]
    public void Finds_generated_valid_ibans_and_rejects_wrong_check_digits()
    {
        var random = new Random(3);
        foreach (var country in new[] { "DE", "FR", "GB", "NL", "NO", "MT" })
        {
            for (var i = 0; i < 40; i++)
            {
                var iban = PiiGenerators.ValidIban(random, country);
                if (country is "FR" or "GB" or "MT")
                {
                    continue; // their BBANs contain letters in reality; digits-only generated ones still must validate
                }

                var grouped = string.Join(' ', iban.Chunk(4).Select(c => new string(c)));
                AssertFinds($"IBAN: {iban}", PiiTypes.Iban, iban);
                AssertFinds($"pay to {grouped} please", PiiTypes.Iban, grouped);
                AssertNone($"IBAN {PiiGenerators.InvalidIban(random)}", PiiTypes.Iban);
            }
        }

        AssertFinds("GB82 WEST 1234 5698 7654 32", PiiTypes.Iban, "GB82 WEST 1234 5698 7654 32");
        AssertNone("GB82 WEST 1234 5698 7654 3", PiiTypes.Iban); // wrong length for GB
    }

    [Theory]
    [InlineData("server at 192.168.1.20.", "192.168.1.20")]
    [InlineData("dns 8.8.8.8 and", "8.8.8.8")]
    public void Finds_ipv4(string text, string value) => AssertFinds(text, PiiTypes.IpV4, value);

    [Theory]
    [InlineData("256.1.1.1")]
    [InlineData("version 1.2.3.4")]
    [InlineData("v10.0.0.1")]
    [InlineData("01.02.03.04")]
    [InlineData("1.2.3.4.5")]
    public void Ignores_non_ipv4(string text) => AssertNone(text, PiiTypes.IpV4);

    [Theory]
    [InlineData("host 2001:db8:85a3::8a2e:370:7334 up", "2001:db8:85a3::8a2e:370:7334")]
    [InlineData("link fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a")]
    public void Finds_ipv6(string text, string value) => AssertFinds(text, PiiTypes.IpV6, value);

    [Theory]
    [InlineData("std::vector<int>")]
    [InlineData("at 12:30:45 today")]
    [InlineData("a::b")]
    public void Ignores_non_ipv6(string text) => AssertNone(text, PiiTypes.IpV6);

    [Theory]
    [InlineData("DOB: 1985-03-12", "1985-03-12")]
    [InlineData("date of birth 12/03/1985", "12/03/1985")]
    [InlineData("She was born on March 12, 1985.", "March 12, 1985")]
    [InlineData("D.O.B. 12 March 1985", "12 March 1985")]
    public void Finds_dates_of_birth_in_context(string text, string value) => AssertFinds(text, PiiTypes.DateOfBirth, value);

    [Fact]
    public void Dates_without_context_are_not_dates_of_birth() =>
        AssertNone("The meeting is on 1985-03-12 at noon.", PiiTypes.DateOfBirth);

    [Fact]
    public void Custom_dictionary_matches_folded_terms_on_word_boundaries()
    {
        var detector = new PiiDetector(new PiiOptions { Dictionary = new Dictionary<string, string> { ["Project Falcon"] = "codename", ["Zoë"] = "person" } });
        var text = "About ＰＲＯＪＥＣＴ falcon and zoe, not Zoetrope.";
        var found = Find(text, detector).Where(d => d.RuleId == "dictionary").ToList();
        Assert.Equal(2, found.Count);
        Assert.Equal("ＰＲＯＪＥＣＴ falcon", text.Substring(found[0].Start, found[0].Length));
        Assert.Equal("person", found[1].Type);
    }

    [Fact]
    public void Types_can_be_restricted()
    {
        var detector = new PiiDetector(new PiiOptions { Types = new HashSet<string> { PiiTypes.Email } });
        Assert.All(Find("a@example.com 8.8.8.8 +14155552671", detector), d => Assert.Equal(PiiTypes.Email, d.Type));
    }

    [Fact]
    public void Adversarial_inputs_finish()
    {
        _ = Find(new string('1', 100_000));
        _ = Find(string.Concat(Enumerable.Repeat("a.", 50_000)) + "@");
        _ = Find(string.Concat(Enumerable.Repeat("1:", 50_000)));
        _ = Find(string.Concat(Enumerable.Repeat("1 ", 50_000)));
    }
}
