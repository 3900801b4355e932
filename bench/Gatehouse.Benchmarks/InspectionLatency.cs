using System.Diagnostics;
using System.Globalization;
using Gatehouse.Inspection;
using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Pii;
using Gatehouse.Inspection.Secrets;

namespace Gatehouse.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Gatehouse.Benchmarks -- latency [ITERATIONS]</c>: the added latency of
/// inspect-in with every built-in input guardrail on the benign 4 KB prompt, as a distribution (BenchmarkDotNet has
/// no p99 column), plus each detector alone on the same prompt and each detector's throughput over the 1 MB corpus.
/// Each measurement warms up first (2 s, and until the JIT has settled: <see cref="CallTimes"/>), then times every
/// call with the stopwatch.
/// </summary>
public static class InspectionLatency
{
    /// <summary>Runs the measurements and prints one line each.</summary>
    public static async Task RunAsync(int iterations)
    {
        var prompt = InspectionCorpus.Prompt();
        var chunks = InspectionCorpus.Chunks();
        using var guardrails = new InputGuardrails();
        if (await guardrails.InspectAsync(prompt) is { } refusal)
        {
            throw new InvalidOperationException($"the benchmark prompt must pass every guardrail, got {refusal}");
        }

        var pii = new PiiDetector();
        var secrets = new SecretsDetector();
        var injection = new PromptInjectionDetector();
        var found = new List<Detection>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, prompt {prompt.Length} chars, corpus {chunks.Sum(c => c.Length)} chars in {chunks.Count} prompts"));
        await Distribution("input guardrails (pii, secrets, content, prompt_injection), 4 KB prompt", iterations, async () => await guardrails.InspectAsync(prompt));
        await Distribution("pii detector alone, 4 KB prompt", iterations, () => { found.Clear(); pii.Detect(prompt, found); return ValueTask.CompletedTask; });
        await Distribution("secrets detector alone, 4 KB prompt", iterations, () => { found.Clear(); secrets.Detect(prompt, found); return ValueTask.CompletedTask; });
        await Distribution("prompt_injection detector alone, 4 KB prompt", iterations, () => { _ = injection.Score(prompt, InjectionMode.Direct); return ValueTask.CompletedTask; });
        Throughput("pii", chunks, c => { found.Clear(); pii.Detect(c, found); });
        Throughput("secrets", chunks, c => { found.Clear(); secrets.Detect(c, found); });
        Throughput("prompt_injection (direct)", chunks, c => injection.Score(c, InjectionMode.Direct));
    }

    private static async Task Distribution(string name, int iterations, Func<ValueTask> action)
    {
        var us = await CallTimes.MeasureAsync(iterations, TimeSpan.FromSeconds(2), action);
        double At(double q) => CallTimes.At(us, q);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: n {iterations}, mean {us.Average():0.0} µs, p50 {At(0.50):0.0} µs, p90 {At(0.90):0.0} µs, p99 {At(0.99):0.0} µs, p99.9 {At(0.999):0.0} µs, max {us[^1]:0.0} µs (warm-up {CallTimes.LastWarmUp.TotalSeconds:0.0} s)"));
    }

    private static void Throughput(string name, IReadOnlyList<string> chunks, Action<string> scan)
    {
        var chars = chunks.Sum(c => c.Length);
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 2)
        {
            foreach (var chunk in chunks)
            {
                scan(chunk);
            }
        }

        var best = double.MaxValue;
        for (var pass = 0; pass < 5; pass++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var chunk in chunks)
            {
                scan(chunk);
            }

            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} over the 1 MB corpus: {chars / best / 1e6:0.0} MB/s (10^6 chars/s, best of 5 passes, one thread)"));
    }
}
