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
}
