using System.Globalization;
using Gatehouse.Inspection;
using Gatehouse.Inspection.Injection;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Config;
using Gatehouse.Server.Inspection;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse guardrails test</c> (each guardrail's verdict on a text) and <c>gatehouse eval guardrails</c> (cross-validated accuracy).</summary>
public static class GuardrailsCommand
{
    /// <summary>The dataset <c>eval guardrails</c> reads without <c>--data</c>.</summary>
    public const string DefaultData = "eval/injection-tune.jsonl";

    /// <summary><c>gatehouse guardrails test --config FILE [--stage STAGE] "text"</c>; exit code 1 when a guardrail would refuse.</summary>
    public static async Task<int> TestAsync(Arguments args)
    {
        args.Allow("config", "stage");
        if (args.Positional.Count != 2 || args.Positional[0] != "test" || args.Get("config") is not { } path)
        {
            throw new ArgumentException("usage: gatehouse guardrails test --config FILE [--stage input|output|tool_results] \"text\"");
        }

        var stage = GuardrailNames.ParseStage(args.Get("stage") ?? "input");
        if (stage is GuardrailStage.None or GuardrailStage.ToolCalls)
        {
            throw new ArgumentException("--stage must be input, output or tool_results");
        }

        var config = new ConfigLoader().LoadFile(path);
        using var handlers = new HandlerCache(TimeProvider.System);
        var snapshot = new SnapshotCompiler(handlers).Compile(config);
        var exchange = new Exchange(new DefaultHttpContext(), "cli", Dialect.OpenAiChat, snapshot, TimeProvider.System.GetTimestamp(), TimeProvider.System.GetUtcNow());
        var text = args.Positional[1];
        var mode = stage == GuardrailStage.ToolResults ? InjectionMode.Indirect : InjectionMode.Direct;
        var refused = false;
        Console.WriteLine($"{"guardrail",-20} {"detector",-17} {"verdict",-13} reason");
        foreach (var g in snapshot.Guardrails.All)
        {
            if ((g.Stages & stage) == 0)
            {
                Console.WriteLine($"{g.Name,-20} {g.DetectorName,-17} {"-",-13} does not apply to {GuardrailNames.Stage(stage)}");
                continue;
            }

            var verdict = await CheckAsync(g, new GuardrailSubject(exchange, stage, text, mode));
            var outcome = GuardrailRunner.Decide(g, verdict);
            refused |= outcome is GuardrailOutcome.Blocked or GuardrailOutcome.FailedClosed;
            var detail = outcome == GuardrailOutcome.Redacted
                ? $"{verdict.Reason} → {PlaceholderRedaction.Apply(text, verdict.Detections, new Gatehouse.Inspection.Redaction.RedactionSession())}"
                : verdict.Reason;
            Console.WriteLine($"{g.Name,-20} {g.DetectorName,-17} {GuardrailNames.Outcome(outcome),-13} {detail}");
        }

        return refused ? 1 : 0;
    }

    /// <summary><c>gatehouse eval guardrails [--data FILE]</c>: stratified 5-fold cross-validation of the injection detector, printed as a table.</summary>
    public static int Eval(Arguments args)
    {
        args.Allow("data");
        if (args.Positional.Count != 1 || args.Positional[0] != "guardrails")
        {
            throw new ArgumentException("usage: gatehouse eval guardrails [--data FILE]");
        }

        var file = args.Get("data") ?? DefaultData;
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"{file}: no such file (labelled JSONL: text, label, kind, source a line; give it with --data).");
            return 1;
        }

        var data = InjectionDataset.Load(file);
        var started = TimeProvider.System.GetTimestamp();
        var rows = InjectionEvaluation.CrossValidate(data);
        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.Count} examples from {file}, stratified 5-fold cross-validation, {seconds:0.0} s"));
        Console.WriteLine();
        Console.Write(InjectionEvaluation.ToMarkdown(rows));
        if (InjectionModel.Embedded is not null)
        {
            var (texts, megabytes) = InjectionEvaluation.MeasureThroughput(new PromptInjectionDetector(), data);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput of the shipped model over the dataset: {texts:0} texts/s, {megabytes:0.0} MB/s (UTF-16 chars), one thread"));
        }

        return 0;
    }

    private static async Task<Verdict> CheckAsync(CompiledGuardrail g, GuardrailSubject subject)
    {
        using var timeout = new CancellationTokenSource(g.Timeout);
        try
        {
            return await g.Detector.CheckAsync(subject, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return Verdict.NotScanned($"timed out after {(int)g.Timeout.TotalMilliseconds} ms");
        }
        catch (HttpRequestException ex)
        {
            return Verdict.NotScanned($"unreachable ({ex.HttpRequestError})");
        }
    }
}
