using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Normalization;
using Gatehouse.Inspection.Tests.Secrets;
using Xunit;

namespace Gatehouse.Inspection.Tests.Injection;

/// <summary>
/// The scorer's fast paths (anchor-gated, windowed rules; stamp-table feature scoring; the run-based base64 scan) must give
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

    [Fact]
    public void Windows_that_share_their_word_hashes_get_each_window_alone_s_word_features_in_order()
    {
        var folded = Texts.Select(t => ScoringFolder.Fold(TextNormalizer.Normalize(t).Text)).Where(f => f.Length > DirectWindows.Chars).ToList();

        // Words longer than a window, words cut by both edges, words that end exactly at an edge, digits and non-ASCII letters.
        var random = new Random(20261126);
        for (var n = 0; n < 300; n++)
        {
            var text = new System.Text.StringBuilder();
            while (text.Length < DirectWindows.Chars + random.Next(1, 3 * DirectWindows.Chars))
            {
                var word = random.Next(20) == 0 ? random.Next(100, 1_200) : random.Next(1, 12);
                for (var i = 0; i < word; i++)
                {
                    text.Append("abcdefgh0123é\u0436"[random.Next(14)]);
                }

                text.Append(" .-\n"[random.Next(4)]);
            }

            folded.Add(text.ToString());
        }

        const int mask = (1 << 16) - 1;
        foreach (var text in folded)
        {
            var words = new WindowWords(text, new int[WindowWords.BufferInts(text.Length)], mask);
            for (var i = 0; i < DirectWindows.Count(text.Length); i++)
            {
                var (start, length) = DirectWindows.Get(text.Length, i);
                var expected = new RecordingSink([]);
                FeatureHasher.AddWords(text.AsSpan(start, length), mask, ref expected);
                var actual = new RecordingSink([]);
                words.Add(start, length, ref actual);
                Assert.Equal(expected.Indices, actual.Indices);
            }
        }
    }

    [Fact]
    public void The_weight_sink_takes_triples_as_it_takes_each_index()
    {
        var model = InjectionModel.Embedded!.Direct;
        var random = new Random(20261126);
        for (var n = 0; n < 2_000; n++)
        {
            // Few distinct indices in some texts (many repeats), many in others.
            var range = random.Next(2) == 0 ? 64 : 1 << model.Bits;
            var count = random.Next(0, 700);
            var h = new int[3][];
            for (var k = 0; k < 3; k++)
            {
                h[k] = new int[count + random.Next(3)];
                for (var i = 0; i < h[k].Length; i++)
                {
                    h[k][i] = random.Next(range);
                }
            }

            var one = WeightSink.For(model);
            for (var i = 0; i < count; i++)
            {
                one.Add(h[0][i]);
                one.Add(h[1][i]);
                one.Add(h[2][i]);
            }

            var unique = one.Unique;
            var expected = one.Probability(model.Bias);
            var triples = WeightSink.For(model);
            triples.AddTriples(h[0], h[1], h[2].AsSpan(0, count));
            Assert.Equal(unique, triples.Unique);
            Assert.Equal(expected, triples.Probability(model.Bias));
        }
    }

    [Fact]
    public void The_weight_sink_scores_like_the_scalar_sum_over_distinct_features_in_order_of_first_occurrence()
    {
        var model = InjectionModel.Embedded!.Direct;
        foreach (var text in Texts.Select(t => ScoringFolder.Fold(TextNormalizer.Normalize(t).Text)))
        {
            for (var i = 0; i < DirectWindows.Count(text.Length); i++)
            {
                var (start, length) = DirectWindows.Get(text.Length, i);
                var extracted = FeatureHasher.Extract(text.Substring(start, length), model.Bits);
                var ordered = FirstOccurrences(text.Substring(start, length), model.Bits);
                Assert.Equal(extracted.Indices.Length, ordered.Count);
                Assert.Equal(ScalarProbability(model, ordered), FeatureHasher.Probability(model, text.AsSpan(start, length)));
            }
        }
    }

    // The distinct features of folded text in order of first occurrence (the sink's order), via a recording sink.
    private static List<int> FirstOccurrences(string folded, int bits)
    {
        var all = new List<int>();
        var sink = new RecordingSink(all);
        var padded = " " + folded[..Math.Min(folded.Length, FeatureHasher.MaxChars)] + " ";
        var mask = (1 << bits) - 1;
        for (var p = 0; p + 3 <= padded.Length; p++)
        {
            for (var n = 3; n <= 5 && p + n <= padded.Length; n++)
            {
                sink.Add((int)(FeatureHasher.Mix(FeatureHasher.Fnv(FeatureHasher.OffsetBasis ^ (uint)n, padded.AsSpan(p, n))) & (uint)mask));
            }
        }

        FeatureHasher.AddWords(folded.AsSpan(0, Math.Min(folded.Length, FeatureHasher.MaxChars)), mask, ref sink);
        var seen = new HashSet<int>();
        return [.. all.Where(seen.Add)];
    }

    // WeightSink.Probability as it was before it was vectorized: four scalar sums.
    internal static double ScalarProbability(LinearModel model, List<int> ordered)
    {
        if (ordered.Count == 0)
        {
            return 1 / (1 + Math.Exp(-model.Bias));
        }

        var value = (float)(1 / Math.Sqrt(ordered.Count));
        double z0 = 0, z1 = 0, z2 = 0, z3 = 0;
        var i = 0;
        for (; i + 4 <= ordered.Count; i += 4)
        {
            z0 += model.Weights[ordered[i]] * value;
            z1 += model.Weights[ordered[i + 1]] * value;
            z2 += model.Weights[ordered[i + 2]] * value;
            z3 += model.Weights[ordered[i + 3]] * value;
        }

        for (; i < ordered.Count; i++)
        {
            z0 += model.Weights[ordered[i]] * value;
        }

        var z = model.Bias + (z0 + z1 + (z2 + z3));
        return 1 / (1 + Math.Exp(-z));
    }

    internal readonly struct RecordingSink(List<int> indices) : IFeatureSink
    {
        public List<int> Indices => indices;

        public void Add(int index) => indices.Add(index);

        public void AddTriples(ReadOnlySpan<int> h3, ReadOnlySpan<int> h4, ReadOnlySpan<int> h5)
        {
            for (var i = 0; i < h5.Length; i++)
            {
                indices.Add(h3[i]);
                indices.Add(h4[i]);
                indices.Add(h5[i]);
            }
        }

        public void AddPairs(ReadOnlySpan<int> first, ReadOnlySpan<int> second)
        {
            for (var i = 0; i < first.Length; i++)
            {
                indices.Add(first[i]);
                indices.Add(second[i]);
            }
        }
    }
}
