using System.Globalization;
using System.Text;

namespace Gatehouse.Inspection.Evaluation;

/// <summary>What <see cref="SpanEvaluation.Evaluate"/> found: rows per type, per rule, per decoy kind and per category, and every mistake.</summary>
public sealed class SpanEvaluationReport
{
    /// <summary>Counts per detection type (labelled and detected).</summary>
    public SortedDictionary<string, SpanCounts> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts per rule that has labelled values (secrets).</summary>
    public SortedDictionary<string, SpanCounts> Rules { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts per example category.</summary>
    public SortedDictionary<string, SpanCounts> Categories { get; } = new(StringComparer.Ordinal);

    /// <summary>Per decoy kind: how many there were and how many a detection overlapped.</summary>
    public SortedDictionary<string, (int Count, int Flagged)> Decoys { get; } = new(StringComparer.Ordinal);

    /// <summary>Every missed value, false positive and flagged decoy.</summary>
    public List<SpanError> Errors { get; } = [];

    /// <summary>Number of examples scored.</summary>
    public int Examples { get; set; }

    /// <summary>The micro-averaged row over all types.</summary>
    public SpanCounts All
    {
        get
        {
            var all = new SpanCounts();
            foreach (var counts in Types.Values)
            {
                all += counts;
            }

            return all;
        }
    }

    internal static void Add(SortedDictionary<string, SpanCounts> rows, string key, SpanCounts counts) =>
        rows[key] = rows.GetValueOrDefault(key) + counts;

    internal void AddDecoy(string kind, bool flagged)
    {
        var (count, hits) = Decoys.GetValueOrDefault(kind);
        Decoys[kind] = (count + 1, hits + (flagged ? 1 : 0));
    }

    /// <summary>Markdown tables: per type (with the micro-averaged total), per rule when <paramref name="rules"/>, per decoy kind, per category.</summary>
    public string ToMarkdown(bool rules)
    {
        var builder = new StringBuilder();
        builder.Append("| type | labelled | found | detections | correct | precision | recall | F1 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var (type, counts) in Types)
        {
            AppendCounts(builder, type, counts);
        }

        AppendCounts(builder, "**all**", All);
        if (rules && Rules.Count > 0)
        {
            builder.Append("\n| rule | labelled | found | detections | correct | precision | recall | F1 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            foreach (var (rule, counts) in Rules)
            {
                AppendCounts(builder, rule, counts);
            }
        }

        if (Decoys.Count > 0)
        {
            builder.Append("\n| hard negative | n | flagged | flagged share |\n| --- | ---: | ---: | ---: |\n");
            foreach (var (kind, (count, flagged)) in Decoys)
            {
                builder.Append(CultureInfo.InvariantCulture, $"| {kind} | {count} | {flagged} | {Format((double)flagged / count)} |\n");
            }
        }

        builder.Append("\n| category | labelled | found | detections | false positives | precision | recall | F1 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var (category, c) in Categories)
        {
            builder.Append(CultureInfo.InvariantCulture, $"| {category} | {c.Labels} | {c.Found} | {c.Detections} | {c.FalsePositives} | {Format(c.Precision)} | {Format(c.Recall)} | {Format(c.F1)} |\n");
        }

        return builder.ToString();
    }

    private static void AppendCounts(StringBuilder builder, string name, SpanCounts c) =>
        builder.Append(CultureInfo.InvariantCulture, $"| {name} | {c.Labels} | {c.Found} | {c.Detections} | {c.Correct} | {Format(c.Precision)} | {Format(c.Recall)} | {Format(c.F1)} |\n");

    internal static string Format(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
