using System.Diagnostics;
using System.Globalization;
using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Normalization;

namespace Gatehouse.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Gatehouse.Benchmarks -- stages [ITERATIONS]</c>: where the prompt-injection
/// detector's time goes on the benign 4 KB prompt, one public step at a time (median of the calls after a 1 s warm-up);
/// the rules are what remains of the whole score. The normalization of a text seen last on the thread is remembered,
/// so its figure is that of the second detector that normalizes the same request.
/// </summary>
public static class InspectionStages
{
    /// <summary>Times each step and prints one line each.</summary>
    public static void Run(int iterations)
    {
        var prompt = InspectionCorpus.Prompt();
        var detector = new PromptInjectionDetector();
        var model = InjectionModel.Embedded!.Direct;
        var normalized = TextNormalizer.Normalize(prompt).Text;
        var folded = ScoringFolder.Fold(normalized);
        var payloads = new List<DecodedPayload>();
        var whole = Median(iterations, () => detector.Score(prompt, InjectionMode.Direct));
        var normalize = Median(iterations, () => TextNormalizer.Normalize(prompt));
        var decode = Median(iterations, () => { payloads.Clear(); EmbeddedPayloadDecoder.Decode(normalized, payloads); });
        var fold = Median(iterations, () => ScoringFolder.Fold(normalized));
        var features = Median(iterations, () => DirectWindows.Probability(model, folded));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prompt_injection direct, 4 KB prompt, medians of {iterations}: whole {whole:0.0} µs; normalization {normalize:0.0} (remembered per thread after the first call), payload decoding {decode:0.0}, folding {fold:0.0}, features {features:0.0} ({DirectWindows.Count(folded.Length)} windows), rules and the rest {whole - normalize - decode - fold - features:0.0} µs"));
    }

    private static double Median(int iterations, Action action)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 1)
        {
            action();
        }

        var ticks = new long[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(ticks);
        return ticks[iterations / 2] * 1e6 / Stopwatch.Frequency;
    }
}
