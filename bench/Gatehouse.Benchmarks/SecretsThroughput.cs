using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gatehouse.Inspection;
using Gatehouse.Inspection.Secrets;

namespace Gatehouse.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Gatehouse.Benchmarks -- secrets [PASSES] [--dump FILE] [--rules]</c>: the secrets
/// detector's throughput on each of the five sources of the mixed 1 MB corpus alone, on the corpus, then on the corpus
/// without the generic detector and with it alone (best of PASSES passes after a 2 s warm-up, one thread). With <c>--dump</c> it also writes every finding
/// on the corpus, the generated secrets sentences and the files of the secrets eval corpora, one line each, so two
/// builds of the detector can be compared finding for finding with <c>diff</c>; with <c>--rules</c>, the time of each
/// rule alone over the corpus.
/// </summary>
public static class SecretsThroughput
{
    /// <summary>Runs the measurements and prints one line per text kind.</summary>
    public static void Run(int passes, string? dump, bool rules)
    {
        // The mixed corpus last: measured first, in a fresh process, it read 2.6-58 MB/s (tiered PGO still at work after
        // the 2 s warm-up) where the latency mode, which runs it after the other detectors, reads 40-60.
        var secrets = new SecretsDetector();
        foreach (var (name, _) in InspectionCorpus.Sources())
        {
            DetectorTiming.Measure(name, InspectionCorpus.Pieces(name), secrets, passes);
        }

        DetectorTiming.Measure("mixed corpus", InspectionCorpus.Chunks(), secrets, passes);

        DetectorTiming.Measure("mixed corpus, rules only", InspectionCorpus.Chunks(), new SecretsDetector(generic: false), passes);
        DetectorTiming.Measure("mixed corpus, no rules", InspectionCorpus.Chunks(), new SecretsDetector([]), passes);
        if (rules)
        {
            RuleCosts(InspectionCorpus.Chunks());
        }

        if (dump is not null)
        {
            Dump(dump, secrets);
        }
    }

    // Each rule alone (and the generic detector alone) over the corpus, best of three passes: where the time goes.
    private static void RuleCosts(IReadOnlyList<string> texts)
    {
        var found = new List<Detection>();
        var costs = new List<(string Rule, double Ms)>();
        var detectors = SecretRuleCatalog.All.Select(r => (r.Id, new SecretsDetector([r], generic: false)))
            .Append((SecretsDetector.GenericRuleId, new SecretsDetector([])));
        foreach (var (id, detector) in detectors)
        {
            var best = double.MaxValue;
            for (var pass = 0; pass < 4; pass++)
            {
                var watch = Stopwatch.StartNew();
                DetectorTiming.Scan(texts, detector, found);
                best = pass == 0 ? best : Math.Min(best, watch.Elapsed.TotalMilliseconds);
            }

            costs.Add((id, best));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rules alone, sum {costs.Sum(c => c.Ms):0.0} ms; costliest:"));
        foreach (var (rule, ms) in costs.OrderByDescending(c => c.Ms).Take(15))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rule}: {ms:0.00} ms"));
        }
    }

    private static void Dump(string path, SecretsDetector secrets)
    {
        var output = new StringBuilder();
        void Write(string label, IReadOnlyList<string> texts) => DetectorTiming.Dump(output, label, texts, secrets);

        Write("corpus", InspectionCorpus.Chunks());
        var generated = File.ReadLines(Path.Combine(InspectionCorpus.Root, "eval", "secrets-generated.jsonl")).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();
        Write("secrets-generated.jsonl", generated);
        foreach (var manifest in Directory.EnumerateFiles(Path.Combine(InspectionCorpus.Root, "eval"), "secrets-corpus-*.txt").Order(StringComparer.Ordinal))
        {
            var files = File.ReadLines(manifest).Where(l => l.Length > 0 && l[0] != '#')
                .Select(l => l[(l.IndexOf('\t', StringComparison.Ordinal) + 1)..]).Where(File.Exists).ToList();
            Write(Path.GetFileName(manifest), files.Select(File.ReadAllText).ToList());
        }

        File.WriteAllText(path, output.ToString());
        Console.WriteLine($"findings written to {path}");
    }
}
