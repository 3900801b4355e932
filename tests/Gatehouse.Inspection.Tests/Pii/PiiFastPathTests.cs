using System.Globalization;
using System.Numerics;
using Gatehouse.Inspection.Evaluation;
using Gatehouse.Inspection.Pii;
using Xunit;

namespace Gatehouse.Inspection.Tests.Pii;

/// <summary>Code that replaced a pattern must decide as the pattern did.</summary>
public class PiiFastPathTests
{
    [Fact]
    public void Phone_context_words_are_found_as_the_pattern_finds_them()
    {
        var texts = SpanDataset.Load(Path.Combine(AppContext.BaseDirectory, "eval", "pii-generated.jsonl")).Select(e => e.Text).ToList();
        texts.AddRange(["Call me: 555", "TEXT ME at 1", "textme 1", "text meal 1", "recall 1", "cellphone 2", "my tel. 3", "WhatsApp +4", "sms_ 5", "fax"]);
        var positives = 0;
        foreach (var text in texts)
        {
            for (var i = 0; i <= text.Length; i++)
            {
                var expected = PiiPatterns.PhoneContext().IsMatch(text[Math.Max(0, i - 24)..i]);
                Assert.Equal(expected, PiiScores.HasPhoneContext(text, i));
                positives += expected ? 1 : 0;
            }
        }

        Assert.True(positives > 1000, $"{positives} positions with context");
    }

    [Theory]
    [InlineData("SSN 123456780 on file", true)]
    [InlineData("social security number: 123456780.", true)]
    [InlineData("ss# 123456780", true)]
    [InlineData("SSN 1234567801", false)]
    [InlineData("the class 123456780", false)]
    [InlineData("SSN: 12345678", false)]
    public void Bare_ssn_needs_its_context_right_before(string text, bool found)
    {
        var results = new List<Detection>();
        new PiiDetector().Detect(text, results);
        Assert.Equal(found, results.Exists(d => d.Type == PiiTypes.UsSsn));
    }

    [Fact]
    public void Phone_scores_with_and_without_context_are_the_two_scores()
    {
        var random = new Random(20261126);
        const string alphabet = "0123456789012345678901234567890123456789  --..()+";
        for (var i = 0; i < 100_000; i++)
        {
            var candidate = new string([.. Enumerable.Range(0, random.Next(1, 24)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var without = PhoneNumbers.Score(candidate, out var with);
            Assert.Equal(PhoneNumbers.Score(candidate, hasContext: false), without);
            Assert.Equal(PhoneNumbers.Score(candidate, hasContext: true), with);
        }
    }

    [Fact]
    public void Iban_mod97_is_the_remainder_of_the_rotated_text()
    {
        var random = new Random(20261126);
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab -";
        for (var i = 0; i < 100_000; i++)
        {
            var compact = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            Assert.Equal(RotatedMod97(compact), Iban.Mod97(compact));
        }
    }

    // The definition: the first four characters moved to the end, letters written as 10..35, the number mod 97.
    private static int RotatedMod97(string compact)
    {
        var split = compact.Length == 0 ? 0 : 4 % compact.Length;
        var rotated = compact[split..] + compact[..split];
        if (rotated.Any(c => !char.IsAsciiDigit(c) && !char.IsAsciiLetterUpper(c)))
        {
            return -1;
        }

        var digits = string.Concat(rotated.Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(CultureInfo.InvariantCulture)));
        return digits.Length == 0 ? 0 : (int)(BigInteger.Parse(digits, CultureInfo.InvariantCulture) % 97);
    }
}
