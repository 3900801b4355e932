using System.Globalization;
using System.Text;
using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Normalization;

namespace Gatehouse.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Gatehouse.Benchmarks -- stages [ITERATIONS] [QUANTILE]</c>: where the prompt-injection
/// detector's time goes on the benign 4 KB prompt, one public step at a time (the median of the calls after a 1 s warm-up, or another quantile);
/// the rules are what remains of the whole score. The normalization of a text seen last on the thread is remembered,
/// so its figure is that of the second detector that normalizes the same request; a new text's is printed beside it.
/// Then where inspect-in's time goes: each configured input guardrail's check alone, the runner and bookkeeping as the
/// rest, and the bytes allocated per inspect-in call.
/// </summary>
public static class InspectionStages
{
    private static double s_quantile = 0.5;

    /// <summary>
    /// Times each step and prints one line each: the <paramref name="quantile"/> of each step's times (0.5, the
    /// median, by default; a low one such as 0.1 is less disturbed by other work on a busy machine).
    /// </summary>
    public static async Task RunAsync(int iterations, double quantile = 0.5)
    {
        s_quantile = quantile;
        var prompt = InspectionCorpus.Prompt();
        var detector = new PromptInjectionDetector();
        var model = InjectionModel.Embedded!.Direct;
        var normalized = TextNormalizer.Normalize(prompt).Text;
        var folded = ScoringFolder.Fold(normalized);
        var payloads = new List<DecodedPayload>();
        var whole = await TypicalAsync(iterations, () => detector.Score(prompt, InjectionMode.Direct));
        var normalize = await TypicalAsync(iterations, () => TextNormalizer.Normalize(prompt));
        var other = "#" + prompt[1..];
        var flip = false;
        var normalizeNew = await TypicalAsync(iterations, () => TextNormalizer.Normalize((flip = !flip) ? other : prompt));
        var decode = await TypicalAsync(iterations, () => { payloads.Clear(); EmbeddedPayloadDecoder.Decode(normalized, payloads); });
        var fold = await TypicalAsync(iterations, () => ScoringFolder.Fold(normalized));
        var features = await TypicalAsync(iterations, () => DirectWindows.Probability(model, folded));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prompt_injection direct, 4 KB prompt, {Label(iterations)}: whole {whole:0.0} µs; normalization {normalize:0.0} (remembered per thread after the first call; {normalizeNew:0.0} for a new text), payload decoding {decode:0.0}, folding {fold:0.0}, features {features:0.0} ({DirectWindows.Count(folded.Length)} windows), rules and the rest {whole - normalize - decode - fold - features:0.0} µs"));
        await InspectIn(iterations);
    }

    private static string Label(int iterations) => s_quantile == 0.5
        ? string.Create(CultureInfo.InvariantCulture, $"medians of {iterations}")
        : string.Create(CultureInfo.InvariantCulture, $"{s_quantile:0.##} quantiles of {iterations}");

    private static async Task InspectIn(int iterations)
    {
        var prompt = InspectionCorpus.Prompt();
        using var guardrails = new InputGuardrails();
        var whole = await TypicalAsync(iterations, async () => await guardrails.InspectAsync(prompt));
        var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"inspect-in, 4 KB prompt, {Label(iterations)}: whole {whole:0.0} µs;"));
        var rest = whole;
        var index = 0;
        foreach (var name in guardrails.Names)
        {
            var i = index++;
            var check = await TypicalAsync(iterations, async () => await guardrails.CheckAsync(i, prompt));
            rest -= check;
            line.Append(CultureInfo.InvariantCulture, $" {name} {check:0.0}");
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
        {
            await guardrails.InspectAsync(prompt);
        }

        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / iterations;
        Console.WriteLine(line.Append(CultureInfo.InvariantCulture, $" (each check alone), runner and bookkeeping {rest:0.0} µs; {allocated} bytes allocated per call"));
    }

    private static async Task<double> TypicalAsync(int iterations, Func<ValueTask> action) =>
        CallTimes.At(await CallTimes.MeasureAsync(iterations, TimeSpan.FromSeconds(1), action), s_quantile);

    private static Task<double> TypicalAsync(int iterations, Action action) =>
        TypicalAsync(iterations, () =>
        {
            action();
            return ValueTask.CompletedTask;
        });
}
