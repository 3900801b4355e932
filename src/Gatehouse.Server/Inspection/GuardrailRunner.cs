using System.Text.RegularExpressions;
using Gatehouse.Core;
using Gatehouse.Inspection;
using Gatehouse.Inspection.Injection;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Telemetry;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Inspection;

/// <summary>
/// Runs the snapshot's guardrails on an exchange: the inspect-in stage on the canonical request, inspect-out on a
/// decoded answer, and the per-stream <see cref="StreamGuard"/>. Applies actions and error policies, and records each
/// verdict once (header, request log, metrics; audit for refusals).
/// </summary>
public sealed partial class GuardrailRunner
{
    /// <summary>The response header that carries the verdicts.</summary>
    public const string HeaderName = "x-gatehouse-guardrails";

    private static readonly GuardrailStage[] StageOrder = [GuardrailStage.Input, GuardrailStage.ToolResults, GuardrailStage.Output, GuardrailStage.ToolCalls];
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly GuardrailAudit _audit;
    private readonly ILogger<GuardrailRunner> _logger;

    /// <summary>Creates the runner.</summary>
    public GuardrailRunner(TimeProvider time, GatewayMetrics metrics, GuardrailAudit audit, ILogger<GuardrailRunner> logger)
    {
        _time = time;
        _metrics = metrics;
        _audit = audit;
        _logger = logger;
    }

    /// <summary>
    /// Stage 5, inspect-in: user and system text in direct mode, tool results in indirect mode. Returns the refusal,
    /// or null to continue; redactions rewrite the request (and mark it modified), a route verdict sets <see cref="GuardrailSession.RouteTo"/>.
    /// </summary>
    public async ValueTask<GatewayError?> InspectInputAsync(Exchange exchange, ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(request);
        var slots = TextSlot.FromRequest(request);
        var result = await ScanAsync(exchange, slots, GuardrailStage.Input | GuardrailStage.ToolResults, SchemaOf(request), noRoute: null);
        request.Modified |= result.Modified;
        ApplyHeader(exchange);
        return result.Refusal;
    }

    /// <summary>
    /// Stage 9, inspect-out for a non-streamed answer: its text (output) and tool calls. Redactions rewrite
    /// <paramref name="response"/>; a route verdict stops the scan and names the guardrail in <see cref="ScanResult.RoutedBy"/>,
    /// unless the request was already routed once, when it blocks instead (no loops).
    /// </summary>
    public async ValueTask<ScanResult> InspectOutputAsync(Exchange exchange, ChatRequest request, ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(request);
        var noRoute = exchange.Reroute is { } earlier ? $"the answer of '{earlier.To}', which the request was routed to, failed too" : null;
        var result = await ScanAsync(exchange, TextSlot.FromResponse(response), GuardrailStage.Output | GuardrailStage.ToolCalls, SchemaOf(request), noRoute);
        ApplyHeader(exchange);
        return result;
    }

    /// <summary>
    /// Inspect-in for <c>/v1/embeddings</c>: each input text is scanned like user text (direct mode) and rewritten in
    /// place by redactions. A route verdict refuses instead, since another model's vectors would not be comparable.
    /// </summary>
    public async ValueTask<GatewayError?> InspectEmbeddingsAsync(Exchange exchange, List<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(inputs);
        var slots = new List<TextSlot>(inputs.Count);
        foreach (var input in inputs)
        {
            slots.Add(new TextSlot(new TextPart(input), GuardrailStage.Input, InjectionMode.Direct));
        }

        var result = await ScanAsync(exchange, slots, GuardrailStage.Input, schema: null, "embeddings cannot be served by another model");
        if (result.Modified)
        {
            for (var i = 0; i < slots.Count; i++)
            {
                inputs[i] = slots[i].Text;
            }
        }

        ApplyHeader(exchange);
        return result.Refusal;
    }

    /// <summary>Whether an output or tool-call guardrail applies to <paramref name="exchange"/>.</summary>
    public static bool InspectsOutput(Exchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var set = exchange.Snapshot.Guardrails;
        if (!set.Any(GuardrailStage.Output | GuardrailStage.ToolCalls))
        {
            return false;
        }

        foreach (var g in set.All)
        {
            if (g.AppliesTo(exchange, GuardrailStage.Output) || g.AppliesTo(exchange, GuardrailStage.ToolCalls))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A guard for one streamed answer, or null when no output or tool-call guardrail applies to it.</summary>
    public StreamGuard? CreateStreamGuard(Exchange exchange, ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(request);
        var set = exchange.Snapshot.Guardrails;
        if (!set.Any(GuardrailStage.Output | GuardrailStage.ToolCalls))
        {
            return null;
        }

        List<CompiledGuardrail>? text = null, tools = null;
        foreach (var g in set.All)
        {
            if (g.AppliesTo(exchange, GuardrailStage.Output))
            {
                (text ??= []).Add(g);
            }

            if (g.AppliesTo(exchange, GuardrailStage.ToolCalls))
            {
                (tools ??= []).Add(g);
            }
        }

        return text is null && tools is null ? null : new StreamGuard(this, exchange, text ?? [], tools ?? [], SchemaOf(request));
    }

    /// <summary>Writes a refusal decided before the response started (header, status, error body in the client's dialect).</summary>
    public static async Task RespondRefusedAsync(Exchange exchange, GatewayError refusal)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(refusal);
        exchange.Error = refusal;
        exchange.Status = refusal.HttpStatus;
        if (exchange.Target is { } target)
        {
            ServedHeaders.Apply(exchange.Http.Response, exchange, target);
        }

        await ErrorResponder.WriteAsync(exchange.Http, exchange.Dialect, refusal);
    }

    /// <summary>Runs one check under the guardrail's timeout; a timeout or failure becomes <see cref="VerdictOutcome.NotScanned"/>.</summary>
    internal async ValueTask<Verdict> RunAsync(CompiledGuardrail g, GuardrailSubject subject, CancellationToken aborted)
    {
        if (!g.Detector.IsExternal)
        {
            try
            {
                return await g.Detector.CheckAsync(subject, aborted);
            }
            catch (RegexMatchTimeoutException)
            {
                return Verdict.NotScanned("a pattern timed out on this input");
            }
        }

        using var timeout = new CancellationTokenSource(g.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
        try
        {
            return await g.Detector.CheckAsync(subject, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return Verdict.NotScanned($"timed out after {(int)g.Timeout.TotalMilliseconds} ms");
        }
        catch (HttpRequestException ex)
        {
            return Verdict.NotScanned($"unreachable ({ex.HttpRequestError})");
        }
        catch (Exception ex) when (ex is IOException or GatewayException or System.Text.Json.JsonException or InvalidDataException)
        {
            return Verdict.NotScanned($"failed ({ex.GetType().Name})");
        }
    }

    /// <summary>Records a verdict once: session (header, log) and metrics; refusals are logged and audited, routes audited.</summary>
    internal void Record(Exchange exchange, CompiledGuardrail g, GuardrailStage stage, GuardrailOutcome outcome, string? reason)
    {
        var session = exchange.Guardrails ??= new GuardrailSession();
        session.Verdicts.Add(new GuardrailVerdict(g.Name, stage, outcome, reason));
        _metrics.GuardrailVerdict(g.Name, GuardrailNames.Stage(stage), GuardrailNames.Outcome(outcome));
        switch (outcome)
        {
            case GuardrailOutcome.Blocked or GuardrailOutcome.FailedClosed:
                var stageName = GuardrailNames.Stage(stage);
                LogRefused(_logger, exchange.Id, g.Name, stageName, reason);
                _audit.Refused(exchange, g, stage, outcome, reason);
                break;
            case GuardrailOutcome.Routed:
                _audit.Routed(exchange, g, stage, reason);
                break;
            case GuardrailOutcome.NotScanned:
                var notScannedStage = GuardrailNames.Stage(stage);
                LogNotScanned(_logger, exchange.Id, g.Name, notScannedStage, reason);
                break;
        }
    }

    /// <summary>The refusal error for a violation (400 guardrail_blocked) or a check that could not run and fails closed (503 guardrail_unavailable).</summary>
    internal static GatewayError Refusal(CompiledGuardrail g, GuardrailStage stage, GuardrailOutcome outcome, string? reason) => outcome == GuardrailOutcome.FailedClosed
        ? new GatewayError(ErrorKind.UpstreamUnavailable, $"Guardrail '{g.Name}' could not check the {What(stage)} ({reason}) and is configured to fail closed. Retry later.", "guardrail_unavailable")
        : new GatewayError(ErrorKind.InvalidRequest, $"Guardrail '{g.Name}' blocked the {What(stage)}: {reason}.", "guardrail_blocked");

    private static string What(GuardrailStage stage) => stage switch
    {
        GuardrailStage.Output => "answer",
        GuardrailStage.ToolCalls => "tool call in the answer",
        GuardrailStage.ToolResults => "tool result in the request",
        _ => "request",
    };

    private static string? SchemaOf(ChatRequest request) =>
        request.ResponseFormat is { Kind: ResponseFormatKind.JsonSchema, SchemaJson: { } schema } ? schema : null;

    /// <summary>Sets the verdicts header from the verdicts so far, unless the response has started.</summary>
    internal static void ApplyHeader(Exchange exchange)
    {
        if (exchange.Guardrails is { Verdicts.Count: > 0 } session && !exchange.Http.Response.HasStarted)
        {
            exchange.Http.Response.Headers[HeaderName] = session.HeaderValue();
        }
    }

    /// <summary>
    /// Runs the applicable guardrails over <paramref name="slots"/> in config order. <paramref name="noRoute"/> is null
    /// where a route verdict can be followed; otherwise it says why not, and the verdict blocks instead.
    /// </summary>
    private async ValueTask<ScanResult> ScanAsync(Exchange exchange, List<TextSlot> slots, GuardrailStage stages, string? schema, string? noRoute)
    {
        var modified = false;
        foreach (var g in exchange.Snapshot.Guardrails.All)
        {
            foreach (var stage in StageOrder)
            {
                if ((stages & stage) == 0 || !g.AppliesTo(exchange, stage))
                {
                    continue;
                }

                var (outcome, reason, changed) = await ScanStageAsync(exchange, g, stage, slots, schema);
                modified |= changed;
                if (outcome == GuardrailOutcome.Routed && noRoute is not null)
                {
                    outcome = GuardrailOutcome.Blocked;
                    reason = $"{reason} ({noRoute})";
                }

                Record(exchange, g, stage, outcome, reason);
                if (outcome is GuardrailOutcome.Blocked or GuardrailOutcome.FailedClosed)
                {
                    return new ScanResult(modified, Refusal(g, stage, outcome, reason));
                }

                if (outcome == GuardrailOutcome.Routed && stage is GuardrailStage.Output or GuardrailStage.ToolCalls)
                {
                    // The answer is rejected: later guardrails will check the answer of the route_to model instead.
                    return new ScanResult(modified, null, g);
                }
            }
        }

        return new ScanResult(modified, null);
    }

    private async ValueTask<(GuardrailOutcome Outcome, string? Reason, bool Modified)> ScanStageAsync(
        Exchange exchange, CompiledGuardrail g, GuardrailStage stage, List<TextSlot> slots, string? schema)
    {
        var outcome = GuardrailOutcome.Pass;
        string? reason = null;
        var modified = false;
        foreach (var slot in slots)
        {
            if (slot.Stage != stage)
            {
                continue;
            }

            var verdict = await RunAsync(g, new GuardrailSubject(exchange, stage, slot.Text, slot.Mode, slot.ToolName, schema), exchange.Http.RequestAborted);
            var next = Decide(g, verdict);
            if (next is GuardrailOutcome.Blocked or GuardrailOutcome.FailedClosed)
            {
                return (next, verdict.Reason, modified);
            }

            if (next == GuardrailOutcome.Redacted)
            {
                slot.Text = PlaceholderRedaction.Apply(slot.Text, verdict.Detections, (exchange.Guardrails ??= new GuardrailSession()).Redaction);
                modified = true;
            }
            else if (next == GuardrailOutcome.Routed && stage is GuardrailStage.Input or GuardrailStage.ToolResults)
            {
                (exchange.Guardrails ??= new GuardrailSession()).RouteTo ??= g.RouteTo;
            }

            if (next > outcome)
            {
                outcome = next;
                reason = verdict.Reason;
            }
        }

        return (outcome, reason, modified);
    }

    /// <summary>Maps a detector verdict to what the guardrail does with it.</summary>
    public static GuardrailOutcome Decide(CompiledGuardrail g, Verdict verdict) => verdict.Outcome switch
    {
        VerdictOutcome.Pass => GuardrailOutcome.Pass,
        VerdictOutcome.NotScanned => g.FailOpen ? GuardrailOutcome.NotScanned : GuardrailOutcome.FailedClosed,
        _ => g.Action switch
        {
            GuardrailAction.Redact => GuardrailOutcome.Redacted,
            GuardrailAction.Flag => GuardrailOutcome.Flagged,
            GuardrailAction.Route => GuardrailOutcome.Routed,
            _ => GuardrailOutcome.Blocked,
        },
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: guardrail {Guardrail} refused the {Stage}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string requestId, string guardrail, string stage, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: guardrail {Guardrail} did not scan the {Stage}: {Reason}")]
    private static partial void LogNotScanned(ILogger logger, string requestId, string guardrail, string stage, string? reason);
}
