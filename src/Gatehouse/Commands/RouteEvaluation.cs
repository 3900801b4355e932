using System.Globalization;
using System.Text.Json;
using Gatehouse.Server.Config;
using Gatehouse.Server.Routing;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Host.Commands;

/// <summary>
/// <c>gatehouse route eval</c>: runs a router over a labelled JSONL set (<c>{"text", "route", "split"}</c>, the label
/// <c>default</c> for requests no route should claim) and prints accuracy, per-route precision and recall, and decision
/// latency. The router's cache is off so every decision embeds; <c>--sweep</c> prints accuracy per threshold (for tuning).
/// </summary>
public static class RouteEvaluation
{
    private const string Usage = "usage: gatehouse route eval --config FILE --data FILE [--router NAME] [--embedder hashed|minilm|provider:P/M] [--threshold X] [--split tune|test|all] [--sweep]";

    /// <summary>Runs the evaluation; exit code 0.</summary>
    public static async Task<int> RunAsync(Arguments args)
    {
        args.Allow("config", "data", "router", "embedder", "threshold", "split", "sweep");
        if (args.Positional.Count != 1 || args.Get("config") is not { } configPath || args.Get("data") is not { } dataPath)
        {
            throw new ArgumentException(Usage);
        }

        var split = args.Get("split") ?? "test";
        var data = Load(dataPath, split);
        var config = new ConfigLoader().LoadFile(configPath);
        foreach (var semantic in config.Routers.Select(r => r.Semantic).OfType<SemanticConfig>())
        {
            semantic.CacheSize = 0;
            semantic.Embedder = args.Get("embedder") ?? semantic.Embedder;
            if (args.Get("threshold") is { } threshold)
            {
                semantic.Threshold = double.Parse(threshold, CultureInfo.InvariantCulture);
            }
            else if (args.Has("embedder"))
            {
                semantic.Threshold = null;
            }
        }

        using var handlers = new HandlerCache(TimeProvider.System);
        var router = RouteCommand.PickRouter(new SnapshotCompiler(handlers).Compile(config), args.Get("router"));
        var time = TimeProvider.System;
        var results = new List<(string Label, string Predicted, string? Best, double Score, double Ms)>(data.Count);
        var firstMs = 0.0;
        foreach (var (text, label) in data)
        {
            var started = time.GetTimestamp();
            var decision = await router.DecideAsync(new RouteFacts { Request = RouteCommand.UserRequest(router.Name, text), Now = time.GetUtcNow() }, explain: false, CancellationToken.None);
            var ms = time.GetElapsedTime(started).TotalMilliseconds;
            if (decision.Semantic?.ErrorDetail is { } error)
            {
                Console.Error.WriteLine($"embedder failed: {error}");
                return 1;
            }

            if (results.Count == 0 && firstMs == 0)
            {
                firstMs = ms;
            }

            var predicted = decision.Kind == RouteDecisionKind.Default ? "default" : decision.Matched!;
            var best = decision.Semantic is { Best: >= 0 } s ? s.Scores[s.Best] : default;
            results.Add((label, predicted, best.Route, best.Score, ms));
        }

        Print(router, dataPath, split, results, firstMs);
        if (args.Has("sweep"))
        {
            Sweep(results);
        }

        return 0;
    }

    private static List<(string Text, string Label)> Load(string path, string split)
    {
        if (split is not ("tune" or "test" or "all"))
        {
            throw new ArgumentException($"--split must be tune, test or all; got '{split}'");
        }

        var data = new List<(string, string)>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (split == "all" || root.GetProperty("split").GetString() == split)
            {
                data.Add((root.GetProperty("text").GetString()!, root.GetProperty("route").GetString()!));
            }
        }

        return data.Count > 0 ? data : throw new ArgumentException($"{path} has no examples in split '{split}'");
    }

    private static void Print(Router router, string dataPath, string split, List<(string Label, string Predicted, string? Best, double Score, double Ms)> results, double firstMs)
    {
        var correct = results.Count(r => r.Label == r.Predicted);
        var embedder = router.Semantic?.EmbedderName ?? "none";
        var threshold = router.Semantic?.Threshold ?? double.NaN;
        var latencies = results.Skip(1).Select(r => r.Ms).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"router {router.Name}, embedder {embedder}, threshold {threshold:0.000}, {results.Count} examples ({split} split of {dataPath})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy {(double)correct / results.Count:0.000} ({correct}/{results.Count})"));
        if (latencies.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decision latency: mean {latencies.Average():0.000} ms, p50 {Percentile(latencies, 0.5):0.000} ms, p95 {Percentile(latencies, 0.95):0.000} ms (cache off; first decision {firstMs:0.0} ms, it embeds the route examples)"));
        }

        Console.WriteLine();
        Console.WriteLine("| route | n | predicted | precision | recall | F1 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var label in results.Select(r => r.Label).Concat(results.Select(r => r.Predicted)).Distinct().Order(StringComparer.Ordinal))
        {
            var truePositives = results.Count(r => r.Label == label && r.Predicted == label);
            var actual = results.Count(r => r.Label == label);
            var predicted = results.Count(r => r.Predicted == label);
            var precision = predicted == 0 ? 0 : (double)truePositives / predicted;
            var recall = actual == 0 ? 0 : (double)truePositives / actual;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {actual} | {predicted} | {precision:0.000} | {recall:0.000} | {f1:0.000} |"));
        }
    }

    private static void Sweep(List<(string Label, string Predicted, string? Best, double Score, double Ms)> results)
    {
        Console.WriteLine();
        Console.WriteLine("| threshold | accuracy |");
        Console.WriteLine("| ---: | ---: |");
        for (var t = 0.0; t <= 0.9001; t += 0.025)
        {
            var correct = results.Count(r => (r.Best is not null && r.Score >= t ? r.Best : "default") == r.Label);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {t:0.000} | {(double)correct / results.Count:0.000} |"));
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(p * sorted.Count))];
}
