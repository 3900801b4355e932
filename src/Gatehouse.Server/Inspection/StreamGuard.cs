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
/// then checked. Guardrails that need a whole text (json_schema, webhook, llm_judge) do not run on streamed text and
/// are recorded as not scanned (or refuse the stream when they fail closed).
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
    private GatewayError? _refusal;
    private int _textIndex = -1;
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
        for (var i = 0; i < text.Count; i++)
        {
            var g = text[i];
            if (g.Detector.Spans is not { } spans)
            {
                _textOutcomes[i] = g.FailOpen ? GuardrailOutcome.NotScanned : GuardrailOutcome.FailedClosed;
                _textReasons[i] = $"the {g.DetectorName} detector needs the whole answer and does not scan streamed text";
                _refusal ??= g.FailOpen ? null : GuardrailRunner.Refusal(g, GuardrailStage.Output, GuardrailOutcome.FailedClosed, _textReasons[i]);
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
    }

    /// <summary>Rewrites one message's events in place: text delayed and redacted, tool calls held until checked. Returns the refusal when the stream must end.</summary>
    public async ValueTask<GatewayError?> ApplyAsync(List<StreamEvent> events, bool final)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_refusal is not null)
        {
            return _refusal;
        }

        _out.Clear();
        foreach (var e in events)
        {
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
                        return _refusal;
                    }

                    break;
                case BlockStopEvent stop when _pendingTools.Remove(stop.Index, out var call):
                    if (await CheckToolAsync(call, stop))
                    {
                        return _refusal;
                    }

                    break;
                case BlockStopEvent stop when stop.Index == _textIndex:
                    if (FlushText())
                    {
                        return _refusal;
                    }

                    _out.Add(e);
                    break;
                case ToolCallStartEvent start when _tools.Count > 0:
                    _pendingTools[start.Index] = new PendingToolCall(start);
                    break;
                case ToolArgumentsDeltaEvent args when _pendingTools.TryGetValue(args.Index, out var call):
                    call.Arguments.Append(args.JsonFragment);
                    break;
                case FinishEvent:
                    if (FlushText() || await CheckPendingToolsAsync())
                    {
                        return _refusal;
                    }

                    _out.Add(e);
                    break;
                default:
                    _out.Add(e);
                    break;
            }
        }

        if (final && (FlushText() || await CheckPendingToolsAsync()))
        {
            return _refusal;
        }

        events.Clear();
        events.AddRange(_out);
        return null;
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

            if (outcome == GuardrailOutcome.Blocked)
            {
                _refusal = GuardrailRunner.Refusal(g, GuardrailStage.Output, outcome, _textReasons[i]);
                return true;
            }
        }

        if (safe.Length > 0)
        {
            _out.Add(new TextDeltaEvent(_textIndex, safe));
        }

        return false;
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

            if (outcome is GuardrailOutcome.Blocked or GuardrailOutcome.FailedClosed)
            {
                _refusal = GuardrailRunner.Refusal(g, GuardrailStage.ToolCalls, outcome, verdict.Reason);
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
