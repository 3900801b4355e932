using Gatehouse.Inspection.Pii;
using Xunit;

namespace Gatehouse.Inspection.Tests.Pii;

/// <summary>One test per fix made while measuring precision on generated sentences with hard negatives (eval/pii-generated.jsonl).</summary>
public class PiiHardNegativeTests
{
    private static readonly PiiDetector Detector = new();

    private static List<Detection> Find(string text)
    {
        var results = new List<Detection>();
        Detector.Detect(text, results);
        return results;
    }

    private static List<string> Types(string text) => [.. Find(text).Select(d => d.Type)];

    [Theory]
    [InlineData("Employee record: Anna Smith, SSN 133-63-5098, start Monday.", PiiTypes.UsSsn)]
    [InlineData("The SSN field rejected 964-90-9034 because that range is never issued.", null)]
    [InlineData("SSN 127 64 2237 on file", PiiTypes.UsSsn)]
    public void Ssn_shaped_numbers_are_not_phones(string text, string? expected) =>
        Assert.Equal(expected is null ? [] : [expected], Types(text));

    [Fact]
    public void Nine_digits_after_00_are_not_an_international_phone()
    {
        Assert.Equal([PiiTypes.UsSsn], Types("SSN: 001642968"));
        Assert.Equal([PiiTypes.Phone], Types("call 0049 30 901820"));
    }

    [Theory]
    [InlineData("New bank details: NL91 ABNA 0417 1643 00, old closed.", PiiTypes.Iban)]
    [InlineData("Typo in the IBAN: NL74 MSRZ 3611 5021 88, please resend.", null)]
    [InlineData("Refund to DE89370400440532013000 please", PiiTypes.Iban)]
    public void Digit_groups_inside_an_iban_are_not_phones(string text, string? expected) =>
        Assert.Equal(expected is null ? [] : [expected], Types(text));

    [Theory]
    [InlineData("New number: +49 156 13451579. Save it.")]
    [InlineData("Order #615001458871 shipped")]
    [InlineData("Ref 4111 11 1111111111")]
    public void Phone_numbers_ids_and_odd_groupings_are_not_cards(string text) =>
        Assert.DoesNotContain(PiiTypes.CreditCard, Types(text));

    [Theory]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("3782 822463 10005")]
    [InlineData("3056 930902 5904")]
    [InlineData("4111-1111-1111-1111")]
    public void Printed_card_groupings_are_cards(string card) =>
        Assert.Equal([PiiTypes.CreditCard], Types($"card {card} on file"));

    [Theory]
    [InlineData("Build 16.0.9.121 is rolling out")]
    [InlineData("Kernel 8.2.243.75 panicked")]
    [InlineData("release 4.2.0.17 notes")]
    [InlineData("Mozilla/5.0 Chrome/120.0.1.109 Safari/537.36")]
    public void Versions_after_version_words_are_not_ipv4(string text) => Assert.DoesNotContain(PiiTypes.IpV4, Types(text));

    [Theory]
    [InlineData("dev 10.1.2.3 is down")]
    [InlineData("see http://10.0.0.12/status")]
    public void Addresses_after_other_words_still_count(string text) => Assert.Contains(PiiTypes.IpV4, Types(text));
}
