using Gatehouse.Inspection;
using Gatehouse.Inspection.Injection;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Config;
using Gatehouse.Server.Inspection;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse guardrails test</c>: each guardrail's verdict on a text.</summary>
public static class GuardrailsCommand
{
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
