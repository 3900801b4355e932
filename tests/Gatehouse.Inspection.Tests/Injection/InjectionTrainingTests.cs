using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Tests.Secrets;
using Xunit;

namespace Gatehouse.Inspection.Tests.Injection;

public class InjectionTrainingTests
{
    private static List<LabelledText> Subset(int perKind)
    {
        var all = InjectionDataset.Load(Path.Combine(SecretsDetectorTests.RepoRoot(), "eval", "injection-tune.jsonl"));
        return [.. all.GroupBy(x => x.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => g.Take(perKind))];
    }

    [Fact]
    public void Dataset_has_the_documented_kinds_and_counts()
    {
        var all = InjectionDataset.Load(Path.Combine(SecretsDetectorTests.RepoRoot(), "eval", "injection-tune.jsonl"));
        Assert.Equal(1941, all.Count);
        Assert.Equal(680, all.Count(x => x.Kind == InjectionKinds.Jailbreak));
        Assert.Equal(200, all.Count(x => x.Kind == InjectionKinds.Indirect));
    }

    [Fact]
    public void Training_is_deterministic()
    {
        var subset = Subset(25);
        var options = new InjectionTrainerOptions { Bits = 12, Epochs = 3, Folds = 3 };
        var first = InjectionModelTrainer.Train(subset, options).ToBytes();
        var second = InjectionModelTrainer.Train(subset, options).ToBytes();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Cross_validation_reports_every_kind_on_held_out_folds()
    {
        var rows = InjectionEvaluation.CrossValidate(Subset(20), new InjectionTrainerOptions { Bits = 12, Epochs = 3, Folds = 3 });
        Assert.Equal(8, rows.Count); // 4 direct kinds + all, 2 document kinds + all
        Assert.All(rows, r => Assert.InRange(r.FalsePositiveRate, 0, 1));
        Assert.Contains(rows, r => r.Kind == InjectionKinds.Indirect && r.Recall is not null);
        Assert.Contains("| direct | jailbreak |", InjectionEvaluation.ToMarkdown(rows), StringComparison.Ordinal);
    }

    [Fact]
    public void Threshold_selection_respects_the_false_positive_budget()
    {
        var scored = new List<(double, int)> { (0.9, 1), (0.8, 0), (0.7, 1), (0.6, 1), (0.2, 0), (0.1, 0) };
        Assert.Equal(0.9f, InjectionModelTrainer.ChooseThreshold(scored, 0.0));
        Assert.Equal(0.6f, InjectionModelTrainer.ChooseThreshold(scored, 0.34));
    }

    [Fact]
    public void Segmenter_splits_lines_and_sentences_and_pairs_neighbours()
    {
        var text = "First line here.\nSecond sentence is long enough. Third sentence follows it.\n\n   \nLast.";
        var segments = Segmenter.Segments(text).Select(s => text.Substring(s.Start, s.Length)).ToList();
        Assert.Contains("First line here.", segments);
        Assert.Contains("Second sentence is long enough.", segments);
        Assert.Contains("Third sentence follows it.", segments);
        Assert.Contains("Second sentence is long enough. Third sentence follows it.", segments);
        Assert.DoesNotContain(segments, s => s.Trim().Length == 0);
    }
}
