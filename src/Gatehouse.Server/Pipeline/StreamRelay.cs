using System.Runtime.CompilerServices;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Protocol.Streaming;
using Gatehouse.Server.Inspection;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// Serves a streamed request from one target. The upstream's first event is read before the response is committed,
/// so an upstream that fails at once (an error status or an error as its first event) leaves room to try another
/// target. After that, events are relayed one upstream message at a time; a failure ends the stream with a clean
/// error event in the client's dialect.
/// </summary>
public sealed class StreamRelay
{
    /// <summary>Written bytes that are sent even while more upstream messages are already at hand.</summary>
    private const int FlushBytes = 16 * 1024;

    private readonly TimeProvider _time;
    private readonly UsageAccounting _accounting;
    private readonly GuardrailRunner _guardrails;

    /// <summary>Creates the relay.</summary>
    public StreamRelay(TimeProvider time, UsageAccounting accounting, GuardrailRunner guardrails)
    {
        _guardrails = guardrails;
        _time = time;
        _accounting = accounting;
    }

    /// <summary>Tries the target once.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<AttemptResult> TryAsync(Exchange exchange, ChatRequest request, ReadOnlyMemory<byte> body, RouteTarget target)
    {
        var http = exchange.Http;
        var adapter = target.Provider.Adapter;
        using var scratch = new PooledBufferWriter();
        using var message = UpstreamRequestFactory.Create(request, body, target, http.Request, scratch);
        exchange.ApplyVaultKey(message, target);
        using var cancellation = AttemptCancellation.For(exchange, target, _time, http.RequestAborted);
        var (response, sendError) = await UpstreamSender.SendAsync(target, message, cancellation);
        if (response is null)
        {
            return AttemptResult.Failed(sendError!);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                cancellation.FirstByteReceived();
                return AttemptResult.Failed(await UpstreamSender.ReadErrorAsync(target, response, cancellation));
            }

            Stream upstream;
            try
            {
                upstream = await response.Content.ReadAsStreamAsync(cancellation.Token);
            }
            catch (OperationCanceledException) when (!cancellation.ClientGone)
            {
                return AttemptResult.Failed(cancellation.TimeoutError(target.Provider.Name));
            }

            using var reader = UpstreamReaders.Create(adapter, upstream);

            // 9 inspect-out on a stream: a guarded stream is always re-encoded, since held-back and redacted text no
            // longer matches the upstream's bytes.
            var guard = _guardrails.CreateStreamGuard(exchange, request);
            var forwardsUnchanged = UpstreamRequestFactory.IsPassThrough(request, target) && guard is null;
            var state = new RelayState(
                forwardsUnchanged ? adapter.CreateStreamObserver() : adapter.CreateStreamDecoder(),
                forwardsUnchanged ? null : CreateEncoder(exchange.Dialect, request, target.Model, _time),
                hideUsageOnlyChunks: adapter.Dialect == Dialect.OpenAiChat && !request.IncludeUsage)
            {
                Guard = guard,
                Request = request,
            };
            return await RelayAsync(exchange, target, reader, state, cancellation);
        }
    }

    private async Task<AttemptResult> RelayAsync(Exchange exchange, RouteTarget target, IUpstreamMessageReader reader, RelayState state, AttemptCancellation cancellation)
    {
        using var outgoing = new PooledBufferWriter(8192);
        var committed = false;

        // The end of the last message written in full: a failure mid-message drops only that message's bytes.
        var whole = 0;
        var usage = default(Usage);
        var error = default(GatewayError);
        var finished = false;
        try
        {
            var more = true;
            while (more)
            {
                // Messages that arrived together leave together: what is written is sent when the next message is not
                // at hand yet (or enough has gathered), so nothing waits on the upstream unsent. A guarded stream sends
                // each message before the next, since a guardrail may wait on a call of its own.
                if (state.Guard is not null || !reader.TryReadBuffered())
                {
                    if (committed)
                    {
                        await FlushAsync(exchange, outgoing);
                    }

                    if (!await reader.ReadAsync(cancellation.Token))
                    {
                        break;
                    }
                }
                else if (committed && outgoing.WrittenCount >= FlushBytes)
                {
                    await FlushAsync(exchange, outgoing);
                }

                whole = outgoing.WrittenCount;
                cancellation.FirstByteReceived();
                state.Events.Clear();
                more = state.Decoder.Decode(reader.EventType, reader.Payload.Span, state.Events);
                if (!more)
                {
                    state.Decoder.Complete(state.Events);
                }

                error = Observe(state.Events, ref usage, ref state.OutputChars, ref state.SawFinish);
                var upstreamFailed = error is not null;
                error ??= BudgetCrossed(exchange, state.OutputChars, usage);
                if (error is null && state.Guard is { } guard && await guard.ApplyAsync(state.Events, final: !more) is { } refusal)
                {
                    return await RefuseAsync(exchange, target, state, outgoing, committed, refusal);
                }

                if (!committed && state.Events.Count == 0 && more)
                {
                    // Nothing decoded yet (pings, empty chunks): pass-through still forwards them once committed.
                    state.Forward(reader, outgoing);
                    continue;
                }

                if (!committed && error is not null)
                {
                    // The upstream failed before saying anything useful: another target may serve.
                    return AttemptResult.Failed(error);
                }

                if (upstreamFailed || (error is not null && state.Guard is not null))
                {
                    // The upstream's own error event is not passed on (its words are the provider's, and a translated
                    // stream would end twice): the one error event of the gateway ends the stream, below. A guarded
                    // stream cut by its budget drops the crossing message, which its guardrails have not seen.
                    break;
                }

                state.Forward(reader, outgoing);
                whole = outgoing.WrittenCount;
                if (error is not null)
                {
                    // The budget cut of an unguarded stream: the message that crossed the line goes out, then the error.
                    break;
                }

                if (!more)
                {
                    state.Encoder?.Complete(outgoing);
                    finished = true;
                }

                if (!committed)
                {
                    Commit(exchange, target);
                    committed = true;
                }

                whole = outgoing.WrittenCount;
            }

            if (!committed)
            {
                if (state.EventsSeen == 0)
                {
                    return AttemptResult.Failed(new GatewayError(ErrorKind.UpstreamError, $"Provider '{target.Provider.Name}' ended the stream without sending anything.", "upstream_empty_stream"));
                }

                Commit(exchange, target);
                committed = true;
            }

            if (more && error is null)
            {
                // The upstream closed without its end marker: close our blocks and end the stream cleanly. A stream
                // without an end marker (Gemini's) is complete when the upstream said it finished; the finish that
                // Complete makes up for the client does not count.
                finished = state.SawFinish;
                state.Events.Clear();
                state.Decoder.Complete(state.Events);
                Observe(state.Events, ref usage, ref state.OutputChars, ref state.SawFinish);
                if (state.Guard is { } guard && await guard.ApplyAsync(state.Events, final: true) is { } refusal)
                {
                    return await RefuseAsync(exchange, target, state, outgoing, committed, refusal);
                }

                state.Forward(reader: null, outgoing);
                state.Encoder?.Complete(outgoing);
            }

            if (error is null)
            {
                await FlushAsync(exchange, outgoing);
            }
        }
        catch (OperationCanceledException) when (!cancellation.ClientGone)
        {
            error = cancellation.TimeoutError(target.Provider.Name);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidDataException or GatewayException)
        {
            error = ex is GatewayException gateway ? gateway.Error : new GatewayError(
                ErrorKind.UpstreamError, $"The stream from provider '{target.Provider.Name}' broke off: {ex.GetType().Name}.", "upstream_stream_interrupted");
        }
        finally
        {
            _accounting.Settle(exchange, target, committed ? StreamUsage.Complete(usage, state.Request, state.OutputChars, finished) : usage);
        }

        if (committed)
        {
            state.Guard?.Complete();
        }

        if (error is null)
        {
            return AttemptResult.Success;
        }

        if (!committed)
        {
            return AttemptResult.Failed(error);
        }

        // What earlier messages wrote is theirs to keep (their usage is already counted); the failing message's part goes.
        outgoing.Truncate(whole);
        WriteStreamError(exchange, error, outgoing);
        await FlushAsync(exchange, outgoing);
        return AttemptResult.FailedAfterCommit(error);
    }

    /// <summary>
    /// A guardrail refused the stream: before the response started, a plain error answer (or, for a route verdict, nothing:
    /// the pipeline serves the request from the route_to model); after, the events decided so far and an error event
    /// that ends it.
    /// </summary>
    private static async Task<AttemptResult> RefuseAsync(Exchange exchange, RouteTarget target, RelayState state, PooledBufferWriter outgoing, bool committed, GatewayError refusal)
    {
        var guard = state.Guard!;
        if (guard.RoutedBy is { } routedBy)
        {
            if (!committed && exchange.Reroute is null)
            {
                guard.Complete();
                exchange.Reroute = new AnswerReroute(routedBy, target.Name);
                return AttemptResult.Success;
            }

            refusal = guard.DemoteRoute(committed
                ? "the answer had started streaming, so it could not be served by another model"
                : $"the answer of '{exchange.Reroute!.To}', which the request was routed to, failed too");
        }

        guard.Complete();
        if (!committed)
        {
            await GuardrailRunner.RespondRefusedAsync(exchange, refusal);
            return AttemptResult.Success;
        }

        exchange.Error = refusal;
        state.Forward(reader: null, outgoing);
        state.Encoder!.WriteError(refusal, outgoing);
        await FlushAsync(exchange, outgoing);
        return AttemptResult.Success;
    }

    private static GatewayError? Observe(List<StreamEvent> events, ref Usage usage, ref long outputChars, ref bool sawFinish)
    {
        GatewayError? error = null;
        foreach (var streamEvent in events)
        {
            switch (streamEvent)
            {
                case TextDeltaEvent text:
                    outputChars += text.Text.Length;
                    break;
                case ThinkingDeltaEvent thinking:
                    outputChars += thinking.Text.Length;
                    break;
                case ToolArgumentsDeltaEvent arguments:
                    outputChars += arguments.JsonFragment.Length;
                    break;
                case OutputSizeEvent size:
                    outputChars += size.Chars;
                    break;
                case MessageStartEvent start:
                    usage = usage.MergeMax(start.Usage);
                    break;
                case UsageEvent update:
                    usage = usage.MergeMax(update.Usage);
                    break;
                case ErrorEvent failure:
                    error ??= failure.Error;
                    break;
                case FinishEvent:
                    sawFinish = true;
                    break;
            }
        }

        return error;
    }

    /// <summary>
    /// A hard budget reserved for at most the granted output tokens; a provider that streams past them (it ignored
    /// max_tokens) is cut off with a clean error event. Output is estimated at four characters a token until the
    /// provider reports usage, so the estimate errs towards letting the answer finish.
    /// </summary>
    private static GatewayError? BudgetCrossed(Exchange exchange, long outputChars, Usage usage)
    {
        if (exchange.Admission?.Reservation is not { } reservation)
        {
            return null;
        }

        var produced = Math.Max(usage.OutputTokens, outputChars / 4);
        return produced <= reservation.GrantedOutputTokens + 16
            ? null
            : new GatewayError(
                ErrorKind.BudgetExceeded,
                $"The answer was cut: it passed the {reservation.GrantedOutputTokens} output tokens its budget reserved (budget '{reservation.Budgets[0].Id}').",
                "budget_exceeded");
    }

    private void Commit(Exchange exchange, RouteTarget target)
    {
        var response = exchange.Http.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["x-accel-buffering"] = "no";
        ServedHeaders.Apply(response, exchange, target);

        // The input verdicts, and the route verdict of an answer rejected before this one; output verdicts come later.
        GuardrailRunner.ApplyHeader(exchange);
        exchange.FirstByteTimestamp = _time.GetTimestamp();
    }

    private static async Task FlushAsync(Exchange exchange, PooledBufferWriter outgoing)
    {
        if (outgoing.WrittenCount == 0)
        {
            return;
        }

        await exchange.Http.Response.BodyWriter.WriteAsync(outgoing.WrittenMemory, exchange.Http.RequestAborted);
        outgoing.Clear();
    }

    private static void WriteStreamError(Exchange exchange, GatewayError error, PooledBufferWriter outgoing)
    {
        exchange.Error = error;
        IStreamEncoder encoder = exchange.Dialect == Dialect.AnthropicMessages
            ? new AnthropicStreamEncoder(exchange.ModelRequested ?? string.Empty)
            : new OpenAiStreamEncoder(exchange.ModelRequested ?? string.Empty, 0, includeUsage: false);
        encoder.WriteError(error, outgoing);
    }

    private static IStreamEncoder CreateEncoder(Dialect dialect, ChatRequest request, string model, TimeProvider time) => dialect == Dialect.AnthropicMessages
        ? new AnthropicStreamEncoder(model)
        : new OpenAiStreamEncoder(model, time.GetUtcNow().ToUnixTimeSeconds(), request.IncludeUsage);

    /// <summary>Per-stream translation state.</summary>
    private sealed class RelayState(IStreamDecoder decoder, IStreamEncoder? encoder, bool hideUsageOnlyChunks)
    {
        /// <summary>Characters of output text, thinking and tool arguments relayed so far (for the budget cut).</summary>
        public long OutputChars;

        /// <summary>Whether the model said it finished (a finish reason), for streams without an end marker.</summary>
        public bool SawFinish;

        /// <summary>The request, whose prompt is estimated when the provider's usage never came.</summary>
        public required ChatRequest Request { get; init; }

        public IStreamDecoder Decoder { get; } = decoder;

        public IStreamEncoder? Encoder { get; } = encoder;

        public List<StreamEvent> Events { get; } = [];

        public int EventsSeen { get; private set; }

        /// <summary>The output guardrails of this stream, if any apply.</summary>
        public StreamGuard? Guard { get; init; }

        /// <summary>Writes the current message: raw bytes on the pass-through path, re-encoded events otherwise.</summary>
        public void Forward(IUpstreamMessageReader? reader, PooledBufferWriter outgoing)
        {
            EventsSeen += Events.Count;
            if (Encoder is null)
            {
                if (reader is not null && !(hideUsageOnlyChunks && Events.Count > 0 && Events.TrueForAll(static e => e is UsageEvent)))
                {
                    outgoing.Write(reader.Raw.Span);
                }

                return;
            }

            foreach (var streamEvent in Events)
            {
                Encoder.Write(streamEvent, outgoing);
            }
        }
    }
}
