using Gatehouse.Inspection.Content;
using Xunit;

namespace Gatehouse.Inspection.Tests.Content;

public class ContentPolicyDetectorTests
{
    private static readonly ContentPolicyDetector Policy = new(new ContentPolicyOptions
    {
        BannedPhrases = ["crème brûlée recipe", "forbidden", "Project X"],
        Patterns = [@"\bticket-\d{4}\b"],
        MaxCharacters = 200,
    });

    private static List<Detection> Find(string text)
    {
        var results = new List<Detection>();
        Policy.Detect(text, results);
        return results;
    }

    [Theory]
    [InlineData("Send me the CREME BRULEE RECIPE now", "CREME BRULEE RECIPE")]
    [InlineData("that is ｆｏｒｂｉｄｄｅｎ!", "ｆｏｒｂｉｄｄｅｎ")]
    [InlineData("this is fоrbidden", "fоrbidden")] // Cyrillic о
    [InlineData("about project x.", "project x")]
    public void Finds_banned_phrases_case_accent_and_lookalike_folded(string text, string found)
    {
        var detection = Assert.Single(Find(text));
        Assert.Equal(ContentPolicyDetector.BannedPhraseType, detection.Type);
        Assert.Equal(found, text.Substring(detection.Start, detection.Length));
    }

    [Theory]
    [InlineData("unforbidden territory")]
    [InlineData("forbiddenness")]
    [InlineData("project xylophone")]
    public void Respects_word_boundaries(string text) => Assert.Empty(Find(text));

    [Fact]
    public void Custom_patterns_and_size_limits()
    {
        Assert.Equal(ContentPolicyDetector.PatternType, Assert.Single(Find("see TICKET-1234")).Type);
        var verdict = Policy.Check(new string('a', 250));
        Assert.True(verdict.IsViolation);
        Assert.Contains("200", verdict.Reason, StringComparison.Ordinal);
        Assert.Equal(VerdictOutcome.Pass, Policy.Check("fine").Outcome);
    }

    [Fact]
    public void Invalid_patterns_are_rejected_at_compile_time() =>
        Assert.Throws<ArgumentException>(() => new ContentPolicyDetector(new ContentPolicyOptions { Patterns = ["(unclosed"] }));

    [Fact]
    public void Adversarial_input_finishes() => _ = Find(string.Concat(Enumerable.Repeat("forbid ", 50_000)));
}
