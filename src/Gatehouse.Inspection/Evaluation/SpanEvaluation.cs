using System.Diagnostics;

namespace Gatehouse.Inspection.Evaluation;

/// <summary>
/// Scores a span detector (PII, secrets) on labelled examples: a detection counts when its type equals a label's
/// type and the spans overlap. Findings below the minimum confidence are dropped first, as a guardrail with that
/// <c>min_confidence</c> would.
/// </summary>
public static class SpanEvaluation
{
    /// <summary>Runs <paramref name="detector"/> over <paramref name="examples"/> and tallies rows per type, rule, decoy kind and category.</summary>
    public static SpanEvaluationReport Evaluate(ITextDetector detector, IReadOnlyList<SpanExample> examples, double minConfidence = 0.5)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(examples);
        var report = new SpanEvaluationReport();
        var found = new List<Detection>();
        foreach (var example in examples)
        {
            found.Clear();
            detector.Detect(example.Text, found);
            found.RemoveAll(d => d.Confidence < minConfidence || d.Length == 0);
            Tally(report, example, found);
        }

        report.Examples = examples.Count;
        return report;
    }

    private static void Tally(SpanEvaluationReport report, SpanExample example, List<Detection> found)
    {
        var category = new SpanCounts();
        foreach (var label in example.Spans)
        {
            if (label.IsDecoy)
            {
                var flagged = found.FindIndex(label.Overlaps);
                report.AddDecoy(label.Decoy!, flagged >= 0);
                if (flagged >= 0)
                {
                    report.Errors.Add(new SpanError("decoy-flagged", found[flagged].Type, found[flagged].RuleId, Slice(example.Text, label.Start, label.Length), $"{example.Source} ({label.Decoy})"));
                }

                continue;
            }

            var hit = found.Exists(d => d.Type == label.Type && label.Overlaps(d));
            var counts = new SpanCounts(1, hit ? 1 : 0, 0, 0);
            SpanEvaluationReport.Add(report.Types, label.Type!, counts);
            if (label.Rule is not null)
            {
                SpanEvaluationReport.Add(report.Rules, label.Rule, counts);
            }

            category += counts;
            if (!hit)
            {
                report.Errors.Add(new SpanError("missed", label.Type!, label.Rule, Slice(example.Text, label.Start, label.Length), example.Source));
            }
        }

        foreach (var detection in found)
        {
            var correct = false;
            foreach (var label in example.Spans)
            {
                if (!label.IsDecoy && label.Type == detection.Type && label.Overlaps(detection))
                {
                    correct = true;
                    break;
                }
            }

            var counts = new SpanCounts(0, 0, 1, correct ? 1 : 0);
            SpanEvaluationReport.Add(report.Types, detection.Type, counts);
            if (detection.RuleId is not null && report.Rules.ContainsKey(detection.RuleId))
            {
                SpanEvaluationReport.Add(report.Rules, detection.RuleId, counts);
            }

            category += counts;
            if (!correct)
            {
                report.Errors.Add(new SpanError("false-positive", detection.Type, detection.RuleId, Slice(example.Text, detection.Start, detection.Length), example.Source));
            }
        }

        SpanEvaluationReport.Add(report.Categories, example.Category, category);
    }

    /// <summary>
    /// Scanning speed of <paramref name="detector"/> over the texts, in millions of characters per second, one thread:
    /// passes over the whole set for one second to warm up (JIT tiers), then for at least two seconds measured.
    /// </summary>
    public static double MeasureThroughput(ITextDetector detector, IReadOnlyList<SpanExample> examples)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(examples);
        var found = new List<Detection>();
        long chars = 0;
        foreach (var example in examples)
        {
            chars += example.Text.Length;
        }

        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 1)
        {
            Pass(detector, examples, found);
        }

        var passes = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < 2 || passes == 0)
        {
            Pass(detector, examples, found);
            passes++;
        }

        return chars * passes / watch.Elapsed.TotalSeconds / 1e6;
    }

    private static void Pass(ITextDetector detector, IReadOnlyList<SpanExample> examples, List<Detection> found)
    {
        foreach (var example in examples)
        {
            found.Clear();
            detector.Detect(example.Text, found);
        }
    }

    /// <summary>The text of a span, on one line and cut to 120 characters, for error listings.</summary>
    public static string Slice(string text, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Substring(start, Math.Min(length, 120)).ReplaceLineEndings(" ");
        return length > 120 ? value + "…" : value;
    }
}
