using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Stratified k-fold cross-validation of the whole training procedure: for each fold, <see cref="InjectionModelTrainer"/>
/// trains on the other folds (thresholds chosen by its own inner cross-validation) and the held-out fold is scored.
/// No example is ever scored by a model that saw it.
/// </summary>
public static class InjectionEvaluation
{
    /// <summary>Cross-validates on <paramref name="data"/> and returns one row per kind and one per mode.</summary>
    public static IReadOnlyList<InjectionEvaluationRow> CrossValidate(IEnumerable<LabelledText> data, InjectionTrainerOptions? options = null)
    {
        options ??= new InjectionTrainerOptions();
        var set = InjectionModelTrainer.Prepare(data, options);
        var folds = InjectionModelTrainer.StratifiedFolds(set, options.Folds, options.Seed);
        var flagged = new bool[set.Count];
        for (var fold = 0; fold < options.Folds; fold++)
        {
            var train = new List<PreparedExample>();
            for (var i = 0; i < set.Count; i++)
            {
                if (folds[i] != fold)
                {
                    train.Add(set[i]);
                }
            }

            var model = InjectionModelTrainer.TrainPrepared(train, options);
            for (var i = 0; i < set.Count; i++)
            {
                if (folds[i] == fold)
                {
                    var threshold = set[i].Item.IsDocument ? model.IndirectThreshold : model.DirectThreshold;
                    flagged[i] = set[i].Score(model.Direct, model.Indirect) >= threshold;
                }
            }
        }

        return Summarize(set.ConvertAll(e => e.Item), flagged);
    }

    /// <summary>
    /// The accuracy of <paramref name="detector"/> as shipped (no training) on <paramref name="data"/>, which must not be
    /// data it was trained on: each text scored in its kind's mode against the model's thresholds, summarized per kind
    /// like <see cref="CrossValidate"/>. <paramref name="scores"/> receives each text's score, in order.
    /// </summary>
    public static IReadOnlyList<InjectionEvaluationRow> ScoreShipped(PromptInjectionDetector detector, IReadOnlyList<LabelledText> data, List<InjectionScore> scores)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(scores);
        var flagged = new bool[data.Count];
        for (var i = 0; i < data.Count; i++)
        {
            var score = detector.Score(data[i].Text, data[i].IsDocument ? InjectionMode.Indirect : InjectionMode.Direct);
            scores.Add(score);
            flagged[i] = score.IsAttack;
        }

        return Summarize(data, flagged);
    }

    private static List<InjectionEvaluationRow> Summarize(IReadOnlyList<LabelledText> set, bool[] flagged)
    {
        var rows = new List<InjectionEvaluationRow>();
        foreach (var mode in new[] { InjectionMode.Direct, InjectionMode.Indirect })
        {
            var kinds = new SortedDictionary<string, (int Count, int Flagged, int Label)>(StringComparer.Ordinal);
            int benign = 0, falsePositives = 0, attacks = 0, truePositives = 0;
            for (var i = 0; i < set.Count; i++)
            {
                var item = set[i];
                if (item.IsDocument != (mode == InjectionMode.Indirect))
                {
                    continue;
                }

                var current = kinds.GetValueOrDefault(item.Kind);
                kinds[item.Kind] = (current.Count + 1, current.Flagged + (flagged[i] ? 1 : 0), item.Label);
                if (item.Label == 1)
                {
                    attacks++;
                    truePositives += flagged[i] ? 1 : 0;
                }
                else
                {
                    benign++;
                    falsePositives += flagged[i] ? 1 : 0;
                }
            }

            if (kinds.Count == 0)
            {
                continue;
            }

            var fpr = benign == 0 ? 0 : (double)falsePositives / benign;
            foreach (var (kind, (count, hits, label)) in kinds)
            {
                rows.Add(label == 1 ? AttackRow(mode, kind, count, hits, falsePositives, fpr) : new InjectionEvaluationRow(mode, kind, count, hits, null, null, null, (double)hits / count));
            }

            rows.Add(AttackRow(mode, "all", attacks + benign, truePositives + falsePositives, falsePositives, fpr) with { Flagged = truePositives + falsePositives, Recall = attacks == 0 ? null : (double)truePositives / attacks, Precision = Ratio(truePositives, truePositives + falsePositives), F1 = F1(Ratio(truePositives, truePositives + falsePositives), attacks == 0 ? null : (double)truePositives / attacks) });
        }

        return rows;
    }

    private static InjectionEvaluationRow AttackRow(InjectionMode mode, string kind, int count, int hits, int falsePositives, double fpr)
    {
        var precision = Ratio(hits, hits + falsePositives);
        var recall = count == 0 ? (double?)null : (double)hits / count;
        return new InjectionEvaluationRow(mode, kind, count, hits, precision, recall, F1(precision, recall), fpr);
    }

    private static double? Ratio(int a, int b) => b == 0 ? null : (double)a / b;

    private static double? F1(double? precision, double? recall) =>
        precision is { } p && recall is { } r && p + r > 0 ? 2 * p * r / (p + r) : null;

    /// <summary>Formats rows as a Markdown table.</summary>
    public static string ToMarkdown(IReadOnlyList<InjectionEvaluationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new StringBuilder("| mode | kind | n | flagged | precision | recall | F1 | FPR |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var row in rows)
        {
            builder.Append(CultureInfo.InvariantCulture, $"| {row.Mode.ToString().ToLowerInvariant()} | {row.Kind} | {row.Count} | {row.Flagged} | {Format(row.Precision)} | {Format(row.Recall)} | {Format(row.F1)} | {Format(row.FalsePositiveRate)} |\n");
        }

        return builder.ToString();
    }

    private static string Format(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    /// <summary>Measures scoring throughput of <paramref name="detector"/> over <paramref name="data"/> in its own mode, in texts per second and MB/s (UTF-16 chars as bytes).</summary>
    public static (double TextsPerSecond, double MegabytesPerSecond) MeasureThroughput(PromptInjectionDetector detector, IReadOnlyList<LabelledText> data)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(data);
        long chars = 0;
        var watch = Stopwatch.StartNew();
        foreach (var item in data)
        {
            _ = detector.Score(item.Text, item.IsDocument ? InjectionMode.Indirect : InjectionMode.Direct);
            chars += item.Text.Length;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        return (data.Count / seconds, chars / seconds / 1e6);
    }
}
