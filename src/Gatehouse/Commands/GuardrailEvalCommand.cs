using System.Globalization;
using Gatehouse.Inspection;
using Gatehouse.Inspection.Evaluation;
using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Pii;
using Gatehouse.Inspection.Secrets;

namespace Gatehouse.Host.Commands;

/// <summary>
/// <c>gatehouse eval guardrails</c>: accuracy and speed of the built-in detectors on a labelled JSONL dataset. Injection
/// datasets (<c>text</c>, <c>label</c>, <c>kind</c>) are cross-validated; PII and secrets datasets (<c>text</c>,
/// <c>detector</c>, <c>spans</c>) are scored span by span against the shipped detectors, which were not trained on them.
/// </summary>
public static class GuardrailEvalCommand
{
    /// <summary>The dataset read without <c>--dataset</c>.</summary>
    public const string DefaultDataset = "eval/injection-tune.jsonl,eval/injection-long-train.jsonl";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(Arguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        args.Allow("dataset", "data", "kind", "negatives", "min-confidence", "errors", "shipped");
        if (args.Positional.Count != 1 || args.Positional[0] != "guardrails")
        {
            throw new ArgumentException("usage: gatehouse eval guardrails [--dataset FILE[,FILE]] [--shipped] [--kind injection|pii|secrets] [--negatives MANIFEST] [--min-confidence 0.5] [--errors N]");
        }

        // --data is the option's earlier name.
        var file = args.Get("dataset") ?? args.Get("data") ?? DefaultDataset;
        var files = file.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            Console.Error.WriteLine($"{missing}: no such file (labelled JSONL a line; give it with --dataset).");
            return 1;
        }

        var minConfidence = double.Parse(args.Get("min-confidence") ?? "0.5", CultureInfo.InvariantCulture);
        var errors = int.Parse(args.Get("errors") ?? "20", CultureInfo.InvariantCulture);
        var kind = args.Get("kind") ?? DetectKind(files[0]);
        var negatives = args.Get("negatives");
        return kind switch
        {
            "injection" when args.Has("shipped") => ShippedInjection(files, errors),
            "injection" => Injection(files),
            DetectorNames.Pii => Spans(file, new PiiDetector(), minConfidence, errors, negatives),
            DetectorNames.Secrets => Spans(file, new SecretsDetector(), minConfidence, errors, negatives),
            _ => throw new ArgumentException($"--kind must be injection, pii or secrets (got '{kind}')"),
        };
    }

    /// <summary>The dataset's kind from its first record: <c>spans</c> records name their detector, the rest are injection records.</summary>
    public static string DetectKind(string file)
    {
        var first = File.ReadLines(file).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
        if (first is null)
        {
            throw new ArgumentException($"{file} is empty");
        }

        return SpanDataset.IsSpanRecord(first, out var detector) ? detector ?? throw new ArgumentException($"{file}: span records need a \"detector\"") : "injection";
    }

    private static int Injection(string[] files)
    {
        var data = files.SelectMany(InjectionDataset.Load).ToList();
        var file = string.Join(" + ", files);
        var started = TimeProvider.System.GetTimestamp();
        var rows = InjectionEvaluation.CrossValidate(data);
        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.Count} examples from {file}, stratified 5-fold cross-validation, {seconds:0.0} s"));
        Console.WriteLine();
        Console.Write(InjectionEvaluation.ToMarkdown(rows));
        if (InjectionModel.Embedded is not null)
        {
            var detector = new PromptInjectionDetector();
            _ = InjectionEvaluation.MeasureThroughput(detector, data);
            var (texts, megabytes) = InjectionEvaluation.MeasureThroughput(detector, data);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput of the shipped model over the dataset: {texts:0} texts/s, {megabytes:0.0} MB/s (UTF-16 chars), one thread"));
        }

        return 0;
    }

    // The shipped model on data it was not trained on (eval/benign-long.jsonl): no cross-validation.
    private static int ShippedInjection(string[] files, int errors)
    {
        if (InjectionModel.Embedded is null)
        {
            Console.Error.WriteLine("this build ships no injection model");
            return 1;
        }

        var data = files.SelectMany(InjectionDataset.Load).ToList();
        var scores = new List<InjectionScore>();
        var rows = InjectionEvaluation.ScoreShipped(new PromptInjectionDetector(), data, scores);
        var model = InjectionModel.Embedded;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.Count} examples from {string.Join(" + ", files)}, scored by the shipped model (thresholds direct {model.DirectThreshold:0.000}, indirect {model.IndirectThreshold:0.000}); no example may be training data"));
        Console.WriteLine();
        Console.Write(InjectionEvaluation.ToMarkdown(rows));
        var mistakes = Enumerable.Range(0, data.Count).Where(i => scores[i].IsAttack != (data[i].Label == 1)).OrderByDescending(i => data[i].Label == 0 ? scores[i].Score : 1 - scores[i].Score).ToList();
        if (mistakes.Count > 0 && errors > 0)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"errors ({Math.Min(errors, mistakes.Count)} of {mistakes.Count}):"));
            foreach (var i in mistakes.Take(errors))
            {
                var score = scores[i];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {data[i].Kind} score {score.Score:0.000} (model {score.ModelScore:0.000}, rule {score.RuleId ?? "–"}), {data[i].Text.Length} chars: {data[i].Source}"));
            }
        }

        return 0;
    }

    private static int Spans(string file, ITextDetector detector, double minConfidence, int errors, string? negatives)
    {
        var data = SpanDataset.Load(file);
        var report = SpanEvaluation.Evaluate(detector, data, minConfidence);
        var throughput = SpanEvaluation.MeasureThroughput(detector, data);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.Count} examples from {file}, detector {detector.Name}, min confidence {minConfidence:0.00}; a detection counts when its type matches and its span overlaps the label"));
        Console.WriteLine();
        Console.Write(report.ToMarkdown(rules: detector.Name == DetectorNames.Secrets));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput over the dataset: {throughput:0.0} MB/s (10^6 chars/s), one thread, after 1 s of warm-up"));
        if (report.Errors.Count > 0 && errors > 0)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"errors ({Math.Min(errors, report.Errors.Count)} of {report.Errors.Count}):"));
            foreach (var error in report.Errors.Take(errors))
            {
                Console.WriteLine($"  {error.Kind} {error.Type}{(error.Rule is null ? "" : " (" + error.Rule + ")")}: {error.Value}   [{error.Context}]");
            }
        }

        foreach (var manifest in (negatives ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var corpus = NegativeCorpus.Scan(detector, NegativeCorpus.LoadManifest(manifest), minConfidence);
            Console.WriteLine();
            Console.WriteLine($"negative corpus {manifest}:");
            Console.Write(corpus.ToMarkdown(errors));
        }

        return 0;
    }
}
