using Gatehouse.Inspection.Normalization;

namespace Gatehouse.Inspection.Injection;

/// <summary>A labelled text featurized once for training and evaluation: whole-text and per-segment features and rule scores.</summary>
internal sealed class PreparedExample
{
    private PreparedExample(LabelledText item)
    {
        Item = item;
    }

    public LabelledText Item { get; }

    public HashedFeatures Whole { get; private set; }

    public double WholeRule { get; private set; }

    /// <summary>What the direct model reads: the whole text, or the windows of a long one (<see cref="DirectWindows"/>).</summary>
    public HashedFeatures[] DirectFeatures { get; private set; } = [];

    /// <summary>Segment texts (normalized, not folded); the first <see cref="UnitCount"/> are single units.</summary>
    public string[] SegmentTexts { get; private set; } = [];

    public HashedFeatures[] SegmentFeatures { get; private set; } = [];

    public double[] SegmentRules { get; private set; } = [];

    public int UnitCount { get; private set; }

    public static PreparedExample Prepare(LabelledText item, int bits, IReadOnlyList<InjectionRule> rules)
    {
        var prepared = PreparedText.Prepare(item.Text);
        var example = new PreparedExample(item)
        {
            Whole = FeatureHasher.Extract(prepared.Folded, bits),
            WholeRule = PreparedText.RuleScore(rules, prepared.Folded, out _),
        };
        example.DirectFeatures = new HashedFeatures[DirectWindows.Count(prepared.Folded.Length)];
        for (var i = 0; i < example.DirectFeatures.Length; i++)
        {
            var (start, length) = DirectWindows.Get(prepared.Folded.Length, i);
            example.DirectFeatures[i] = length == prepared.Folded.Length ? example.Whole : FeatureHasher.Extract(prepared.Folded.Substring(start, length), bits);
        }

        if (item.IsDocument)
        {
            var units = new List<(int Start, int Length)>();
            Segmenter.Units(prepared.Combined, units);
            var segments = Segmenter.Segments(prepared.Combined);

            // Units first (for labelling), then the pairs.
            var ordered = new List<(int Start, int Length)>(units);
            foreach (var segment in segments)
            {
                if (!units.Contains(segment))
                {
                    ordered.Add(segment);
                }
            }

            example.UnitCount = units.Count;
            example.SegmentTexts = new string[ordered.Count];
            example.SegmentFeatures = new HashedFeatures[ordered.Count];
            example.SegmentRules = new double[ordered.Count];
            for (var i = 0; i < ordered.Count; i++)
            {
                var text = prepared.Combined.Substring(ordered[i].Start, ordered[i].Length);
                var folded = ScoringFolder.Fold(text);
                example.SegmentTexts[i] = text;
                example.SegmentFeatures[i] = FeatureHasher.Extract(folded, bits);
                example.SegmentRules[i] = PreparedText.RuleScore(rules, folded, out _);
            }
        }

        return example;
    }

    /// <summary>The score of this example under the two models, in its own mode (documents: indirect).</summary>
    public double Score(LinearModel direct, LinearModel indirect)
    {
        if (!Item.IsDocument)
        {
            var model = 0.0;
            foreach (var features in DirectFeatures)
            {
                model = Math.Max(model, direct.Probability(features));
            }

            return PreparedText.Combine(model, WholeRule);
        }

        double best = 0;
        for (var i = 0; i < SegmentFeatures.Length; i++)
        {
            best = Math.Max(best, PreparedText.Combine(indirect.Probability(SegmentFeatures[i]), SegmentRules[i]));
        }

        return best;
    }
}
