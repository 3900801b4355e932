using System.Runtime.CompilerServices;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Server.Inspection;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Server.Pipeline;

/// <summary>Serves a non-streamed request from one target: send, read, decode, account, answer in the client's dialect.</summary>
public sealed class UnaryRelay
{
    private const int MaxAnswerBytes = 64 * 1024 * 1024;

    private readonly TimeProvider _time;
    private readonly UsageAccounting _accounting;
    private readonly GuardrailRunner _guardrails;

    /// <summary>Creates the relay.</summary>
    public UnaryRelay(TimeProvider time, UsageAccounting accounting, GuardrailRunner guardrails)
    {
        _guardrails = guardrails;
        _time = time;
        _accounting = accounting;
    }

    /// <summary>Tries the target once and answers the client when it succeeds.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<AttemptResult> TryAsync(Exchange exchange, ChatRequest request, ReadOnlyMemory<byte> body, RouteTarget target)
    {
        using var fetched = await FetchAsync(exchange, request, body, target, exchange.Http.RequestAborted);
        return fetched.Error is { } error ? AttemptResult.Failed(error) : await DeliverAsync(exchange, request, target, fetched);
    }

    /// <summary>
    /// Sends to the target and reads and decodes its whole answer, writing nothing to the client (so a hedged attempt
    /// can lose). <paramref name="cancel"/> ends the attempt: the client going away, or the other attempt of a hedge winning.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<FetchedAnswer> FetchAsync(Exchange exchange, ChatRequest request, ReadOnlyMemory<byte> body, RouteTarget target, CancellationToken cancel)
    {
        using var scratch = new PooledBufferWriter();
        using var message = UpstreamRequestFactory.Create(request, body, target, exchange.Http.Request, scratch);
        exchange.ApplyVaultKey(message, target);
        using var cancellation = AttemptCancellation.For(exchange, target, _time, cancel);
        var (response, sendError) = await UpstreamSender.SendAsync(target, message, cancellation);
        if (response is null)
        {
            return FetchedAnswer.Failed(sendError!);
        }

        using (response)
        {
            cancellation.FirstByteReceived();
            if (!response.IsSuccessStatusCode)
            {
                return FetchedAnswer.Failed(await UpstreamSender.ReadErrorAsync(target, response, cancellation));
            }

            UpstreamBody? answer = null;
            try
            {
                answer = await UpstreamBody.ReadAsync(response, MaxAnswerBytes, target.Provider.Name, cancellation.Token);
                var adapter = target.Provider.Adapter;
                var created = _time.GetUtcNow().ToUnixTimeSeconds();
                var decoded = ForwardsUnchanged(exchange, request, target)
                    ? adapter.ReadChatResponseSummary(answer.Memory, created)
                    : adapter.DecodeChatResponse(answer.Memory, created);
                if (exchange.FailOverOnRefusal && decoded.FinishReason is FinishReason.ContentFilter or FinishReason.Refusal)
                {
                    answer.Dispose();
                    return FetchedAnswer.Failed(new GatewayError(
                        ErrorKind.UpstreamError,
                        $"Provider '{target.Provider.Name}' refused to answer on content policy grounds.",
                        "content_policy_refusal")
                    { UpstreamStatus = 400 });
                }

                return new FetchedAnswer(answer, decoded);
            }
            catch (GatewayException ex)
            {
                answer?.Dispose();
                return FetchedAnswer.Failed(ex.Error);
            }
            catch (OperationCanceledException) when (!cancellation.ClientGone)
            {
                answer?.Dispose();
                return FetchedAnswer.Failed(cancellation.TimeoutError(target.Provider.Name));
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                answer?.Dispose();
                return FetchedAnswer.Failed(new GatewayError(ErrorKind.UpstreamUnavailable, $"The connection to provider '{target.Provider.Name}' broke while reading its answer.", "upstream_connection_lost"));
            }
        }
    }

    /// <summary>Accounts for a fetched answer, runs the output guardrails on it and writes it in the client's dialect.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<AttemptResult> DeliverAsync(Exchange exchange, ChatRequest request, RouteTarget target, FetchedAnswer fetched)
    {
        var decoded = fetched.Decoded!;
        _accounting.Settle(exchange, target, decoded.Usage);

        // 9 inspect-out: output and tool-call guardrails on the decoded answer, before a byte is written. A block
        // replaces the answer with the error; a redaction re-encodes the rewritten answer even on the pass-through path;
        // a route verdict discards the answer for the route_to model's.
        var inspected = default(ScanResult);
        if (exchange.Snapshot.Guardrails.Any(GuardrailStage.Output | GuardrailStage.ToolCalls))
        {
            inspected = await _guardrails.InspectOutputAsync(exchange, request, decoded);
        }

        if (inspected.Refusal is { } refusal)
        {
            await GuardrailRunner.RespondRefusedAsync(exchange, refusal);
            return AttemptResult.Success;
        }

        if (inspected.RoutedBy is { } routedBy)
        {
            // A route verdict: nothing is written; the target answered, so the attempt counts as a success, and the
            // pipeline serves the request once more from the guardrail's route_to model.
            exchange.Reroute = new AnswerReroute(routedBy, target.Name);
            return AttemptResult.Success;
        }

        await WriteAsync(exchange, request, target, fetched.Body!.Memory, decoded, inspected.Modified);
        return AttemptResult.Success;
    }

    /// <summary>
    /// Whether the answer will be forwarded as the upstream sent it and nothing reads its content: the same dialect, and
    /// no output or tool-call guardrail. Then only its summary (model, finish reason, usage) is read.
    /// </summary>
    private static bool ForwardsUnchanged(Exchange exchange, ChatRequest request, RouteTarget target) =>
        UpstreamRequestFactory.IsPassThrough(request, target) && !exchange.Snapshot.Guardrails.Any(GuardrailStage.Output | GuardrailStage.ToolCalls);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteAsync(Exchange exchange, ChatRequest request, RouteTarget target, ReadOnlyMemory<byte> upstreamAnswer, ChatResponse decoded, bool rewritten)
    {
        var response = exchange.Http.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        ServedHeaders.Apply(response, exchange, target);
        ServedHeaders.ApplyUsage(response, exchange);
        exchange.FirstByteTimestamp = _time.GetTimestamp();
        if (!rewritten && UpstreamRequestFactory.IsPassThrough(request, target))
        {
            response.ContentLength = upstreamAnswer.Length;
            await response.Body.WriteAsync(upstreamAnswer, exchange.Http.RequestAborted);
            return;
        }

        // Like the pass-through path, the answer names the model that served it, as the provider reported it.
        var model = decoded.Model.Length > 0 ? decoded.Model : target.Model;
        using var buffer = new PooledBufferWriter();
        if (exchange.Dialect == Dialect.AnthropicMessages)
        {
            AnthropicResponseEncoder.Encode(decoded, model, buffer);
        }
        else
        {
            OpenAiChatResponseEncoder.Encode(decoded, model, buffer);
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, exchange.Http.RequestAborted);
    }
}
