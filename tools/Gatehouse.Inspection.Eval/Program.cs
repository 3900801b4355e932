using System.Diagnostics;
using System.Globalization;
using Gatehouse.Inspection.Injection;

// Trains the shipped injection model and measures it by cross-validation.
//   train [DATA] [OUT]  writes the model file (default: eval/injection-tune.jsonl → src/Gatehouse.Inspection/Injection/Model/injection-model.bin)
//   eval [DATA]         prints the held-out accuracy table (stratified 5-fold, nested threshold selection) and throughput
var command = args.Length > 0 ? args[0] : "eval";
var data = args.Length > 1 ? args[1] : "eval/injection-tune.jsonl";
var items = InjectionDataset.Load(data);
var watch = Stopwatch.StartNew();
switch (command)
{
    case "train":
        var output = args.Length > 2 ? args[2] : "src/Gatehouse.Inspection/Injection/Model/injection-model.bin";
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
    case "inspect":
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
    default:
        Console.Error.WriteLine("usage: train [DATA] [OUT] | eval [DATA]");
        return 2;
}

return 0;
