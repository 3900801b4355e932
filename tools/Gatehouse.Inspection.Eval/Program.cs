using System.Diagnostics;
using System.Globalization;
using Gatehouse.Inspection.Eval;
using Gatehouse.Inspection.Evaluation;
using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Secrets;

// Trains the shipped injection model, measures it by cross-validation, and generates the PII and secrets datasets.
//   train [DATA] [OUT]                 writes the model file (DATA: comma-separated JSONL files, default eval/injection-tune.jsonl; the shipped model: scripts/eval-injection.sh train)
//   eval [DATA]                        prints the held-out accuracy table (stratified 5-fold, nested threshold selection) and throughput
//   generate-pii [OUT] [SEED] [COUNT]  labelled sentences with PII and hard negatives (default eval/pii-generated.jsonl, seed 20261126, 3000)
//   generate-secrets [OUT] [SEED] [N]  N credentials per secret rule in code/config lines, plus look-alikes (default eval/secrets-generated.jsonl, seed 20261126, 8)
var command = args.Length > 0 ? args[0] : "eval";
switch (command)
{
    case "generate-pii":
        {
            var output = args.Length > 1 ? args[1] : "eval/pii-generated.jsonl";
            var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20261126;
            var count = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3000;
            Write(output, PiiSentenceGenerator.Generate(seed, count));
            return 0;
        }

    case "generate-secrets":
        {
            var output = args.Length > 1 ? args[1] : "eval/secrets-generated.jsonl";
            var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20261126;
            var perRule = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8;
            Write(output, SecretSampleGenerator.Generate(seed, perRule, SecretRuleCatalog.All));
            return 0;
        }

    case "train" or "eval" or "inspect":
        return Injection(command, args.Length > 1 ? args[1] : "eval/injection-tune.jsonl", args.Length > 2 ? args[2] : null);
    default:
        Console.Error.WriteLine("usage: train [DATA] [OUT] | eval [DATA] | generate-pii [OUT] [SEED] [COUNT] | generate-secrets [OUT] [SEED] [PER_RULE]");
        return 2;
}

static void Write(string output, IEnumerable<SpanExample> examples)
{
    var lines = examples.Select(SpanDataset.Format).ToList();
    File.WriteAllLines(output, lines);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {lines.Count} examples to {output}"));
}

static int Injection(string command, string data, string? output)
{
    var items = data.Split(",", StringSplitOptions.RemoveEmptyEntries).SelectMany(InjectionDataset.Load).ToList();
    var watch = Stopwatch.StartNew();
    switch (command)
    {
        case "train":
            output ??= "src/Gatehouse.Inspection/Injection/Model/injection-model.bin";
            var model = InjectionModelTrainer.Train(items);
            File.WriteAllBytes(output, model.ToBytes());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained on {items.Count} examples in {watch.Elapsed.TotalSeconds:0.0} s; thresholds direct {model.DirectThreshold:0.000}, indirect {model.IndirectThreshold:0.000}; wrote {output}"));
            break;
        case "eval":
            var rows = InjectionEvaluation.CrossValidate(items);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{items.Count} examples from {data}, stratified 5-fold cross-validation, {watch.Elapsed.TotalSeconds:0.0} s"));
            Console.WriteLine();
            Console.Write(InjectionEvaluation.ToMarkdown(rows));
            var detector = new PromptInjectionDetector();
            _ = InjectionEvaluation.MeasureThroughput(detector, items);
            var (texts, megabytes) = InjectionEvaluation.MeasureThroughput(detector, items);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput of the shipped model over the dataset: {texts:0} texts/s, {megabytes:0.0} MB/s (UTF-16 chars), one thread"));
            break;
        default:
            var shipped = new PromptInjectionDetector();
            foreach (var item in items)
            {
                if (item.IsDocument)
                {
                    var score = shipped.Score(item.Text, InjectionMode.Indirect);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{item.Kind}\t{score.Score:0.000}\t{score.ModelScore:0.000}\t{score.RuleId}\t{item.Text.Substring(score.Start, Math.Min(score.Length, 100)).ReplaceLineEndings(" ")}"));
                }
            }

            break;
    }

    return 0;
}
