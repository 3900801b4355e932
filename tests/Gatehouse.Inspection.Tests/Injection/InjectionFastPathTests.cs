using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Normalization;
using Gatehouse.Inspection.Tests.Secrets;
using Xunit;

namespace Gatehouse.Inspection.Tests.Injection;

/// <summary>
/// The scorer's fast paths (anchor-gated, windowed rules; bit-set feature scoring; the run-based base64 scan) must give
/// what the straightforward versions give, on every text of the tuning set and on this repository's docs.
/// </summary>
public class InjectionFastPathTests
{
    private static readonly List<string> Texts = LoadTexts();

    private static List<string> LoadTexts()
    {
        var root = SecretsDetectorTests.RepoRoot();
        var texts = InjectionDataset.Load(Path.Combine(root, "eval", "injection-tune.jsonl")).Select(t => t.Text).ToList();
        texts.AddRange(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Select(File.ReadAllText));
        return texts;
    }

    [Fact]
    public void Windowed_rules_score_like_every_rule_on_the_whole_text()
    {
        var matcher = new InjectionRuleMatcher(InjectionRuleCatalog.All);
        var matched = 0;
        foreach (var text in Texts)
        {
            var folded = ScoringFolder.Fold(TextNormalizer.Normalize(text).Text);
            var expected = PreparedText.RuleScore(InjectionRuleCatalog.All, folded, out var expectedId);
            Assert.Equal((expected, expectedId), (matcher.Score(folded, out var id), id));
            matched += expected > 0 ? 1 : 0;
        }

        Assert.True(matched > 500, $"{matched} texts matched a rule");
    }

    [Fact]
    public void Every_rule_match_contains_one_of_its_anchors()
    {
        foreach (var text in Texts)
        {
            var folded = ScoringFolder.Fold(TextNormalizer.Normalize(text).Text);
            foreach (var rule in InjectionRuleCatalog.All)
            {
                foreach (var match in rule.Pattern.EnumerateMatches(folded))
                {
                    var value = folded.Substring(match.Index, match.Length);
                    Assert.True(rule.Anchors.Any(a => value.Contains(a, StringComparison.Ordinal)), $"{rule.Id}: {value}");
                }
            }
        }
    }

    [Fact]
    public void Bit_set_probability_equals_the_sorted_feature_vector()
    {
        var model = InjectionModel.Embedded!;
        foreach (var text in Texts.Take(600))
        {
            var folded = ScoringFolder.Fold(text);
            Assert.Equal(model.Direct.Probability(FeatureHasher.Extract(folded, model.Direct.Bits)), FeatureHasher.Probability(model.Direct, folded), 12);
        }

        Assert.Equal(model.Direct.Probability(FeatureHasher.Extract(string.Empty, model.Direct.Bits)), FeatureHasher.Probability(model.Direct, string.Empty), 12);
    }

    [Fact]
    public void Windows_that_share_their_ngram_hashes_score_like_each_window_alone()
    {
        var model = InjectionModel.Embedded!.Direct;
        var folded = Texts.Select(t => ScoringFolder.Fold(TextNormalizer.Normalize(t).Text)).ToList();
        var longest = folded.MaxBy(f => f.Length)!;
        var chars = DirectWindows.Chars;
        var stride = DirectWindows.Stride;
        foreach (var length in new[] { chars - 1, chars, chars + 1, chars + stride - 1, chars + stride, chars + stride + 1, (2 * chars) + 7 })
        {
            folded.Add(longest[..length]);
        }

        var windowed = 0;
        foreach (var text in folded)
        {
            var expected = 0.0;
            for (var i = 0; i < DirectWindows.Count(text.Length); i++)
            {
                var (start, length) = DirectWindows.Get(text.Length, i);
                expected = Math.Max(expected, FeatureHasher.Probability(model, text.AsSpan(start, length)));
            }

            Assert.Equal(expected, DirectWindows.Probability(model, text));
            windowed += text.Length > chars ? 1 : 0;
        }

        Assert.True(windowed > 30, $"{windowed} texts were read in windows");
    }
}
