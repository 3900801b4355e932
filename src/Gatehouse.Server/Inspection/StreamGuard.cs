using Gatehouse.Core;
using Gatehouse.Inspection;
using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Redaction;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Pipeline;

namespace Gatehouse.Server.Inspection;

/// <summary>
/// Guards one streamed answer, event by event. Text deltas pass a <see cref="StreamingRedactor"/> over the output
/// guardrails' span detectors, which holds back at most the largest configured window; a finding of a blocking
/// guardrail ends the stream before its text is emitted. Tool-call blocks are held until their arguments are complete,
/// then checked. Guardrails that need a whole text (json_schema, webhook, llm_judge) run on the text the client
/// received, kept up to their <c>stream_max_chars</c>, when the upstream's stream ends (the finish event and what
/// follows it are held until then): a refusal replaces the normal finish with an error event (the text already sent
/// cannot be recalled). A route verdict ends the stream like a block, unless nothing was sent yet (<see cref="RoutedBy"/>).
/// </summary>
public sealed class StreamGuard
{
    private readonly GuardrailRunner _runner;
    private readonly Exchange _exchange;
    private readonly List<CompiledGuardrail> _text;
    private readonly List<CompiledGuardrail> _tools;
    private readonly string? _schema;
    private readonly StreamHitDetector?[] _hits;
    private readonly StreamingRedactor? _redactor;
    private readonly GuardrailOutcome[] _textOutcomes;
    private readonly string?[] _textReasons;
    private readonly GuardrailOutcome[] _toolOutcomes;
    private readonly string?[] _toolReasons;
    private readonly Dictionary<int, PendingToolCall> _pendingTools = [];
    private readonly List<StreamEvent> _out = [];
    private readonly StreamedAnswerText? _answer;
    private readonly List<StreamEvent> _held = [];
    private bool _holding;
    private GatewayError? _refusal;
    private (bool Tool, int Index) _routed;
    private int _textIndex = -1;
    private bool _wholeChecked;
    private bool _completed;

    internal StreamGuard(GuardrailRunner runner, Exchange exchange, List<CompiledGuardrail> text, List<CompiledGuardrail> tools, string? schema)
    {
        _runner = runner;
        _exchange = exchange;
        _text = text;
        _tools = tools;
        _schema = schema;
        _textOutcomes = new GuardrailOutcome[text.Count];
        _textReasons = new string?[text.Count];
        _toolOutcomes = new GuardrailOutcome[tools.Count];
        _toolReasons = new string?[tools.Count];
        _hits = new StreamHitDetector?[text.Count];
        var detectors = new List<ITextDetector>();
        var window = 64;
        var keep = 0;
        for (var i = 0; i < text.Count; i++)
        {
            var g = text[i];
            if (g.Detector.Spans is not { } spans)
            {
                // Checked when the answer finishes; until then (and if the stream never finishes) not scanned.
                _textOutcomes[i] = GuardrailOutcome.NotScanned;
                _textReasons[i] = "the stream ended before the answer was complete";
                keep = Math.Max(keep, g.StreamMaxChars);
                continue;
            }

            _hits[i] = new StreamHitDetector(spans, passOn: g.Action != GuardrailAction.Flag);
            detectors.Add(_hits[i]!);
            window = Math.Max(window, g.StreamWindow);
        }

        if (detectors.Count > 0)
        {
            var session = (exchange.Guardrails ??= new GuardrailSession()).Redaction;
            _redactor = new StreamingRedactor(new Redactor(detectors, minimumConfidence: 0), session, window);
        }

        _answer = keep > 0 ? new StreamedAnswerText(keep) : null;
    }

    /// <summary>The guardrail whose route verdict refused the stream, if one did: the relay serves the request from its route_to model when nothing was sent yet, else calls <see cref="DemoteRoute"/>.</summary>
    public CompiledGuardrail? RoutedBy { get; private set; }

    /// <summary>Rewrites one message's events in place: text delayed and redacted, tool calls held until checked. Returns the refusal when the stream must end.</summary>
    public async ValueTask<GatewayError?> ApplyAsync(List<StreamEvent> events, bool final)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_refusal is not null)
        {
            events.Clear();
            return _refusal;
        }

        _out.Clear();
        foreach (var e in events)
        {
            if (_holding)
            {
                _held.Add(e);
                continue;
            }

            switch (e)
            {
                case TextStartEvent start:
                    _textIndex = start.Index;
                    _out.Add(e);
                    break;
                case TextDeltaEvent delta when _redactor is not null:
                    _textIndex = delta.Index;
                    if (Emit(_redactor.Push(delta.Text)))
                    {
                        return Refuse(events);
                    }

                    break;
                case TextDeltaEvent delta:
                    _textIndex = delta.Index;
                    _answer?.Append(delta.Text);
                    _out.Add(e);
                    break;
                case BlockStopEvent stop when _pendingTools.Remove(stop.Index, out var call):
                    if (await CheckToolAsync(call, stop))
                    {
                        return Refuse(events);
                    }

                    break;
                case BlockStopEvent stop when stop.Index == _textIndex:
                    if (FlushText())
                    {
                        return Refuse(events);
                    }

                    _answer?.EndBlock();
                    _out.Add(e);
                    break;
                case ToolCallStartEvent start when _tools.Count > 0:
                    _pendingTools[start.Index] = new PendingToolCall(start);
                    break;
                case ToolArgumentsDeltaEvent args when _pendingTools.TryGetValue(args.Index, out var call):
                    call.Arguments.Append(args.JsonFragment);
                    break;
                case FinishEvent when _answer is not null:
                    // The finish and what follows it (usage, message end) are held until the upstream's end, where the
                    // whole-text checks run: a refusal replaces them, and the usage that follows the finish is still read.
                    if (FlushText() || await CheckPendingToolsAsync())
                    {
                        return Refuse(events);
                    }

                    _holding = true;
                    _held.Add(e);
                    break;
                case FinishEvent:
                    if (FlushText() || await CheckPendingToolsAsync())
                    {
                        return Refuse(events);
                    }

                    _out.Add(e);
                    break;
                default:
                    _out.Add(e);
                    break;
            }
        }

        if (final && (FlushText() || await CheckPendingToolsAsync() || await CheckWholeTextAsync()))
        {
            return Refuse(events);
        }

        if (final)
        {
            _out.AddRange(_held);
            _held.Clear();
        }

        events.Clear();
        events.AddRange(_out);
        return null;
    }

    /// <summary>
    /// Turns the route verdict that refused the stream into a block, when the request cannot be served by the
    /// route_to model (<paramref name="why"/>); returns the refusal to end the stream with.
    /// </summary>
    public GatewayError DemoteRoute(string why)
    {
        var g = RoutedBy ?? throw new InvalidOperationException("No route verdict to demote.");
        RoutedBy = null;
        var (outcomes, reasons, stage) = _routed.Tool
            ? (_toolOutcomes, _toolReasons, GuardrailStage.ToolCalls)
            : (_textOutcomes, _textReasons, GuardrailStage.Output);
        outcomes[_routed.Index] = GuardrailOutcome.Blocked;
        reasons[_routed.Index] = $"{reasons[_routed.Index]} ({why})";
        _refusal = GuardrailRunner.Refusal(g, stage, GuardrailOutcome.Blocked, reasons[_routed.Index]);
        return _refusal;
    }

    /// <summary>Records each guardrail's verdict for the stream, once; call when the stream ended or was refused.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        for (var i = 0; i < _text.Count; i++)
        {
            _runner.Record(_exchange, _text[i], GuardrailStage.Output, _textOutcomes[i], _textReasons[i]);
        }

        for (var i = 0; i < _tools.Count; i++)
        {
            _runner.Record(_exchange, _tools[i], GuardrailStage.ToolCalls, _toolOutcomes[i], _toolReasons[i]);
        }
    }

    /// <summary>Adds safe text to the output unless a blocking guardrail fired; true when the stream must end.</summary>
    private bool Emit(string safe)
    {
        for (var i = 0; i < _hits.Length; i++)
        {
            if (_hits[i] is not { Hit: true } hit)
            {
                continue;
            }

            hit.Reset();
            var g = _text[i];
            var outcome = GuardrailRunner.Decide(g, Verdict.Violation("x"));
            if (outcome > _textOutcomes[i])
            {
                _textOutcomes[i] = outcome;
                _textReasons[i] = g.DetectorName == "prompt_injection" ? "prompt injection in the answer" : $"found {hit.FirstType}";
            }

            if (outcome is GuardrailOutcome.Blocked or GuardrailOutcome.Routed)
            {
                Refused(g, false, i, GuardrailStage.Output, outcome, _textReasons[i]);
                return true;
            }
        }

        if (safe.Length > 0)
        {
            _answer?.Append(safe);
            _out.Add(new TextDeltaEvent(_textIndex, safe));
        }

        return false;
    }

    /// <summary>Ends the stream: the events decided so far (safe text, whole tool calls) still go out, then the refusal.</summary>
    private GatewayError? Refuse(List<StreamEvent> events)
    {
        events.Clear();
        events.AddRange(_out);
        return _refusal;
    }

    /// <summary>Sets the refusal for a block (or a route, which blocks unless the relay can still serve the route_to model).</summary>
    private void Refused(CompiledGuardrail g, bool tool, int index, GuardrailStage stage, GuardrailOutcome outcome, string? reason)
    {
        if (outcome == GuardrailOutcome.Routed)
        {
            RoutedBy = g;
            _routed = (tool, index);
        }

        _refusal = GuardrailRunner.Refusal(g, stage, outcome == GuardrailOutcome.Routed ? GuardrailOutcome.Blocked : outcome, reason);
    }

    /// <summary>
    /// Runs the whole-text guardrails once, on each text block the client received; an answer longer than a
    /// guardrail's stream_max_chars is not scanned (or refused when it fails closed). True when the stream must end.
    /// </summary>
    private async ValueTask<bool> CheckWholeTextAsync()
    {
        if (_answer is null || _wholeChecked)
        {
            return false;
        }

        _wholeChecked = true;
        var blocks = _answer.Blocks();
        for (var i = 0; i < _text.Count; i++)
        {
            var g = _text[i];
            if (g.Detector.Spans is not null)
            {
                continue;
            }

            var (outcome, reason) = await JudgeWholeTextAsync(g, blocks);
            _textOutcomes[i] = outcome;
            _textReasons[i] = reason;
            if (outcome is GuardrailOutcome.Blocked or GuardrailOutcome.FailedClosed or GuardrailOutcome.Routed)
            {
                Refused(g, false, i, GuardrailStage.Output, outcome, reason);
                return true;
            }
        }

        return false;
    }

    private async ValueTask<(GuardrailOutcome Outcome, string? Reason)> JudgeWholeTextAsync(CompiledGuardrail g, List<string> blocks)
    {
        if (_answer!.Length > g.StreamMaxChars)
        {
            return (g.FailOpen ? GuardrailOutcome.NotScanned : GuardrailOutcome.FailedClosed,
                $"the streamed answer is longer than its stream_max_chars ({g.StreamMaxChars} characters)");
        }

        var outcome = GuardrailOutcome.Pass;
        string? reason = null;
        foreach (var text in blocks)
        {
            var verdict = await _runner.RunAsync(g, new GuardrailSubject(_exchange, GuardrailStage.Output, text, InjectionMode.Direct, null, _schema), _exchange.Http.RequestAborted);
            var next = GuardrailRunner.Decide(g, verdict);
            if (next is GuardrailOutcome.Blocked or GuardrailOutcome.FailedClosed or GuardrailOutcome.Routed)
            {
                return (next, verdict.Reason);
            }

            if (next > outcome)
            {
                outcome = next;
                reason = verdict.Reason;
            }
        }

        return (outcome, reason);
    }

    private bool FlushText() => _redactor is not null && _redactor.Pending > 0 && Emit(_redactor.Flush());

    private async ValueTask<bool> CheckPendingToolsAsync()
    {
        foreach (var index in _pendingTools.Keys.ToList())
        {
            _pendingTools.Remove(index, out var call);
            if (await CheckToolAsync(call!, new BlockStopEvent(index)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks a complete tool call; emits it (possibly with redacted arguments) or refuses. True when the stream must end.</summary>
    private async ValueTask<bool> CheckToolAsync(PendingToolCall call, BlockStopEvent stop)
    {
        var arguments = call.Arguments.ToString();
        for (var i = 0; i < _tools.Count; i++)
        {
            var g = _tools[i];
            var subject = new GuardrailSubject(_exchange, GuardrailStage.ToolCalls, arguments, InjectionMode.Direct, call.Start.Name, _schema);
            var verdict = await _runner.RunAsync(g, subject, _exchange.Http.RequestAborted);
            var outcome = GuardrailRunner.Decide(g, verdict);
            if (outcome > _toolOutcomes[i])
            {
                _toolOutcomes[i] = outcome;
                _toolReasons[i] = verdict.Reason;
            }

            if (outcome is GuardrailOutcome.Blocked or GuardrailOutcome.FailedClosed or GuardrailOutcome.Routed)
            {
                Refused(g, true, i, GuardrailStage.ToolCalls, outcome, verdict.Reason);
                return true;
            }

            if (outcome == GuardrailOutcome.Redacted)
            {
                arguments = PlaceholderRedaction.Apply(arguments, verdict.Detections, (_exchange.Guardrails ??= new GuardrailSession()).Redaction);
            }
        }

        _out.Add(call.Start);
        if (arguments.Length > 0)
        {
            _out.Add(new ToolArgumentsDeltaEvent(stop.Index, arguments));
        }

        _out.Add(stop);
        return false;
    }

    /// <summary>A tool-call block held back until its arguments are complete.</summary>
    private sealed class PendingToolCall(ToolCallStartEvent start)
    {
        public ToolCallStartEvent Start { get; } = start;

        public System.Text.StringBuilder Arguments { get; } = new();
    }
}
