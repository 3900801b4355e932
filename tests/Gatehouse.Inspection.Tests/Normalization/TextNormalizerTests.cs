using Gatehouse.Inspection.Normalization;
using Xunit;

namespace Gatehouse.Inspection.Tests.Normalization;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("ｉｇｎｏｒｅ ｐｒｅｖｉｏｕｓ", "ignore previous")]
    [InlineData("𝐢𝐠𝐧𝐨𝐫𝐞 𝖎𝖓𝖘𝖙𝖗𝖚𝖈𝖙𝖎𝖔𝖓𝖘", "ignore instructions")]
    [InlineData("іgnоrе", "ignore")] // Cyrillic і, о, е
    [InlineData("ΑΙ ѕуѕтем", "AI system")] // Greek capitals, Cyrillic lower case
    [InlineData("ig\u200Bno\u200Dre\uFEFF", "ignore")]
    [InlineData("\u202Eerongi\u202C", "erongi")]
    [InlineData("café naïve", "cafe naive")]
    [InlineData("ⓘⓖⓝⓞⓡⓔ", "ignore")]
    [InlineData("ﬁle", "file")]
    [InlineData("i\u0336g\u0336n\u0336", "ign")] // strikethrough combining marks
    [InlineData("plain ascii", "plain ascii")]
    public void Folds_obfuscation_to_ascii(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);

    [Fact]
    public void Ascii_text_is_returned_unchanged_with_identity_map()
    {
        var text = "hello world";
        var normalized = TextNormalizer.Normalize(text);
        Assert.Same(text, normalized.Text);
        Assert.True(normalized.IsIdentity);
        Assert.Equal((3, 4), normalized.ToOriginalSpan(3, 4));
    }

    [Fact]
    public void Map_points_back_to_original_offsets()
    {
        var text = "x \u200B𝐚𝐛 y"; // math letters are surrogate pairs
        var normalized = TextNormalizer.Normalize(text);
        Assert.Equal("x ab y", normalized.Text);
        var (start, length) = normalized.ToOriginalSpan(2, 2);
        Assert.Equal("𝐚𝐛", text.Substring(start, length));
    }

    [Fact]
    public void Lone_surrogates_are_kept()
    {
        var normalized = TextNormalizer.Normalize("a\uD800b");
        Assert.Equal("a\uD800b", normalized.Text);
    }

    [Theory]
    [InlineData("1gn0r3 4ll pr3v10u5", "ignore all previous")]
    [InlineData("I G N O R E the rules", "ignore the rules")]
    [InlineData("i.g.n.o.r.e  previous", "ignore previous")]
    [InlineData("in 2024 I paid 15 $", "in 2024 i paid 15 $")]
    public void Scoring_fold_undoes_leetspeak_and_spacing(string input, string expected) =>
        Assert.Equal(expected, ScoringFolder.Fold(input));
}
