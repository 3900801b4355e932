using System.Text;
using System.Text.Json;
using Gatehouse.Inspection.Pii;

namespace Gatehouse.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Gatehouse.Benchmarks -- pii [PASSES] [--dump FILE]</c>: the PII
/// detector's throughput on the mixed 1 MB corpus and on each of its five sources alone, then on the
/// generated PII sentences with one type enabled at a time (best of PASSES passes after a
/// JIT-settled warm-up of at least 2 s, one thread). With <c>--dump</c> it also writes every finding on the corpus and on the labelled eval
/// sets and the files of the secrets negative corpora, one line each, so two builds of the detector can be compared finding for finding with <c>diff</c>.
/// </summary>
public static class PiiThroughput
{
    /// <summary>Runs the measurements and prints one line per text kind.</summary>
    public static void Run(int passes, string? dump)
    {
        var pii = new PiiDetector();
        DetectorTiming.Measure("mixed corpus", InspectionCorpus.Chunks(), pii, passes);
        foreach (var (name, _) in InspectionCorpus.Sources())
        {
            DetectorTiming.Measure(name, InspectionCorpus.Pieces(name), pii, passes);
        }

        var sentences = InspectionCorpus.Pieces("pii-generated");
        foreach (var type in Types)
        {
            DetectorTiming.Measure($"pii-generated, {type} only", sentences, new PiiDetector(new PiiOptions { Types = new HashSet<string> { type } }), passes);
        }

        DetectorTiming.Measure("pii-generated, no type", sentences, new PiiDetector(new PiiOptions { Types = new HashSet<string>() }), passes);
        if (dump is not null)
        {
            Dump(dump, pii);
        }
    }

    private static readonly string[] Types =
        [PiiTypes.Email, PiiTypes.Phone, PiiTypes.CreditCard, PiiTypes.UsSsn, PiiTypes.Iban, PiiTypes.IpV4, PiiTypes.IpV6, PiiTypes.DateOfBirth];

    private static void Dump(string path, PiiDetector pii)
    {
        var output = new StringBuilder();
        void Write(string label, IReadOnlyList<string> texts) => DetectorTiming.Dump(output, label, texts, pii);

        Write("corpus", InspectionCorpus.Chunks());
        foreach (var file in Directory.EnumerateFiles(Path.Combine(InspectionCorpus.Root, "eval"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            var texts = File.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.TryGetProperty("text", out _)).Select(e => e.GetProperty("text").GetString()!).ToList();
            Write(Path.GetFileName(file), texts);
        }

        foreach (var manifest in new[] { "secrets-corpus-dev.txt", "secrets-corpus-holdout.txt" })
        {
            var files = File.ReadLines(Path.Combine(InspectionCorpus.Root, "eval", manifest)).Where(l => l.Length > 0 && l[0] != '#')
                .Select(l => l[(l.IndexOf('\t', StringComparison.Ordinal) + 1)..]).Where(File.Exists).ToList();
            Write(manifest, files.Select(File.ReadAllText).ToList());
        }

        File.WriteAllText(path, output.ToString());
        Console.WriteLine($"findings written to {path}");
    }
}
