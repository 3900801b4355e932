using System.Buffers;
using System.Runtime.CompilerServices;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Inspection;
using Gatehouse.Server.Routing;
using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// The request path for chat (OpenAI Chat Completions and Anthropic Messages), stage by stage, top to bottom.
/// Each stage either continues or produces a typed error that is answered once, in the client's dialect.
/// </summary>
public sealed class ChatPipeline
{
    private readonly SnapshotHolder _snapshots;
    private readonly TimeProvider _time;
    private readonly ExchangeRecorder _recorder;
    private readonly AttemptRunner _attempts;
    private readonly UnaryRelay _unary;
    private readonly StreamRelay _stream;
    private readonly GovernanceGate _governance;
    private readonly GuardrailRunner _guardrails;

    /// <summary>Creates the pipeline.</summary>
    public ChatPipeline(SnapshotHolder snapshots, TimeProvider time, ExchangeRecorder recorder, AttemptRunner attempts, UnaryRelay unary, StreamRelay stream, GovernanceGate governance, GuardrailRunner guardrails)
    {
        _unary = unary;
        _stream = stream;
        _guardrails = guardrails;
        _governance = governance;
        _snapshots = snapshots;
        _time = time;
        _recorder = recorder;
        _attempts = attempts;
    }

    /// <summary>Serves one request that arrived in <paramref name="dialect"/> on <paramref name="route"/>.</summary>
    public async Task HandleAsync(HttpContext http, Dialect dialect, string route)
    {
        var snapshot = _snapshots.Current;
        var exchange = new Exchange(http, route, dialect, snapshot, _time.GetTimestamp(), _time.GetUtcNow());
        http.Response.Headers["x-request-id"] = exchange.Id;
        _recorder.Started();
        byte[]? body = null;
        try
        {
            // 2 identify: first of all, so an unidentified caller costs no body parsing (401/403).
            if (await _governance.IdentifyAsync(exchange) is { } unidentified)
            {
                await FailAsync(exchange, unidentified);
                return;
            }

            // 1 decode: bytes of the client's dialect become the canonical request (400/413 on bad input).
            (body, var length) = await RequestBodyReader.ReadAsync(http.Request, snapshot.Config.Server.MaxBodyBytes, http.RequestAborted);
            var bodyMemory = body.AsMemory(0, length);
            var request = dialect == Dialect.AnthropicMessages
                ? AnthropicRequestDecoder.Decode(bodyMemory)
                : OpenAiChatRequestDecoder.Decode(bodyMemory);
            exchange.ModelRequested = request.Model;
            exchange.Stream = request.Stream;

            // Output guardrails read one answer: several per request (OpenAI's n) would reach the client unscanned.
            if (request.TryGetExtra("n", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.Number && (!n.TryGetInt32(out var count) || count > 1)
                && GuardrailRunner.InspectsOutput(exchange))
            {
                await FailAsync(exchange, GatewayError.Invalid("'n' above 1 is not supported while output guardrails apply: they inspect one answer per request. Leave 'n' out and send one request per answer.", "n"));
                return;
            }

            // 7 route: a router named by the request chooses the model by rules, then by meaning (docs/routing.md); then
            // resolution (no I/O): the targets for that name (404 with suggestions when unknown). Resolved before admit
            // because the reservation is priced from the targets' catalog entries; authorization stays on the requested name.
            var facts = new CallFacts(request.Tools.Count > 0, HasImages(request), request.Stream);
            var resolution = snapshot.Resolve(await RouterStage.ChooseAsync(exchange, request, facts, _time));
            if (!resolution.Found)
            {
                await FailAsync(exchange, resolution.Error!);
                return;
            }

            // 3-4 authorize and admit: the key may use this model; rate limits and an atomic budget reservation of the
            // most the request can cost. A budget that cannot pay for the requested output clamps max_tokens.
            if (await _governance.AdmitAsync(exchange, "invoke_model", request.Model, PromptEstimate.Tokens(request), request.MaxTokens, resolution.Targets!, facts) is { } refused)
            {
                await FailAsync(exchange, refused);
                return;
            }

            if (exchange.Admission?.GrantedMaxTokens is { } granted)
            {
                request.MaxTokens = granted;
                request.Modified = true;
            }

            // 5 inspect-in: input guardrails, before anything leaves for a provider. User and system text are scanned in
            // direct mode, tool results in indirect mode; a block answers here, a redaction rewrites the request (so the
            // pass-through path re-encodes it), a route verdict swaps the targets for the guardrail's route_to model.
            if (snapshot.Guardrails.Any(GuardrailStage.Input | GuardrailStage.ToolResults))
            {
                if (await _guardrails.InspectInputAsync(exchange, request) is { } blocked)
                {
                    await FailAsync(exchange, blocked);
                    return;
                }

                if (exchange.Guardrails?.RouteTo is { } routeTo && snapshot.Resolve(routeTo) is { Found: true } rerouted)
                {
                    if (_governance.AuthorizeReroute(exchange, routeTo, rerouted.Targets!, facts, PromptEstimate.Tokens(request) + (request.MaxTokens ?? 0)) is { } notAllowed)
                    {
                        await FailAsync(exchange, notAllowed);
                        return;
                    }

                    resolution = rerouted;
                }
            }

            // 3 authorize, for policy sets whose conditions read the input guardrail verdicts: decided now.
            if (_governance.AuthorizeWithVerdicts(exchange, "invoke_model", request.Model, resolution.Targets!, facts, PromptEstimate.Tokens(request) + (request.MaxTokens ?? 0)) is { } forbidden)
            {
                await FailAsync(exchange, forbidden);
                return;
            }

            // 8 call: try targets in the strategy's order, with retries, hedging, deadline and fallbacks; a failure before
            // the response is committed moves on to the next target.
            await ServeAsync(exchange, request, bodyMemory, resolution, facts);
        }
        catch (GatewayException ex)
        {
            await FailAsync(exchange, ex.Error);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the upstream call was cancelled with it.
            exchange.Status = 499;
        }
        catch (Exception) when (!http.RequestAborted.IsCancellationRequested)
        {
            // A bug: the shield middleware logs it and answers 500; the log and metrics say so too.
            exchange.Status = ExceptionShieldingMiddleware.Unexpected.HttpStatus;
            exchange.Error = ExceptionShieldingMiddleware.Unexpected;
            throw;
        }
        finally
        {
            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body);
            }

            // 10 settle: the reservation becomes actual spend; limits release.
            await _governance.SettleAsync(exchange);

            // 11 record: log, metrics — enqueue only.
            _recorder.Finish(exchange);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ServeAsync(Exchange exchange, ChatRequest request, ReadOnlyMemory<byte> body, ModelResolution resolution, CallFacts facts)
    {
        var call = new ChatCall(request, body, _unary, _stream);
        var error = await _attempts.ServeAsync(exchange, call, resolution);

        // 9 inspect-out rejected the answer with a route verdict before anything reached the client: serve the request
        // once more from the guardrail's route_to model, under the same authorization as an input route. Once only: a
        // second route verdict blocks (GuardrailRunner.InspectOutputAsync). Both calls are charged.
        if (error is null && exchange.Reroute is { Pending: true } reroute && !exchange.Http.Response.HasStarted)
        {
            reroute.Pending = false;
            reroute.Usage = exchange.Usage;
            reroute.Cost = exchange.Cost;
            exchange.FallbacksBeforeReroute = exchange.Fallbacks?.Count ?? 0;
            if (exchange.Snapshot.Resolve(reroute.To) is not { Found: true } rerouted)
            {
                await FailAsync(exchange, GuardrailRunner.Refusal(reroute.Guardrail, GuardrailStage.Output, GuardrailOutcome.Blocked, $"its route_to model '{reroute.To}' cannot be resolved"));
                return;
            }

            error = _governance.AuthorizeReroute(exchange, reroute.To, rerouted.Targets!, facts, PromptEstimate.Tokens(request) + (request.MaxTokens ?? 0))
                ?? await _attempts.ServeAsync(exchange, call, rerouted);
        }

        if (error is null)
        {
            return;
        }

        if (exchange.Http.Response.HasStarted)
        {
            exchange.Error = error;
            return;
        }

        await FailAsync(exchange, error);
    }

    private static bool HasImages(ChatRequest request)
    {
        foreach (var message in request.Messages)
        {
            foreach (var part in message.Parts)
            {
                if (part is ImagePart)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static async Task FailAsync(Exchange exchange, GatewayError error)
    {
        exchange.Error = error;
        exchange.Status = error.HttpStatus;
        if (exchange.Target is { } target)
        {
            ServedHeaders.Apply(exchange.Http.Response, exchange, target);
        }

        await ErrorResponder.WriteAsync(exchange.Http, exchange.Dialect, error);
    }
}
