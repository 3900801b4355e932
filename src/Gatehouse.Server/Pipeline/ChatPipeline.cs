using System.Buffers;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Server.Config;
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
    private readonly UnaryRelay _unary;
    private readonly StreamRelay _stream;

    /// <summary>Creates the pipeline.</summary>
    public ChatPipeline(SnapshotHolder snapshots, TimeProvider time, ExchangeRecorder recorder, UnaryRelay unary, StreamRelay stream)
    {
        _snapshots = snapshots;
        _time = time;
        _recorder = recorder;
        _unary = unary;
        _stream = stream;
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
            // 1 decode: bytes of the client's dialect become the canonical request (400/413 on bad input).
            (body, var length) = await RequestBodyReader.ReadAsync(http.Request, snapshot.Config.Server.MaxBodyBytes, http.RequestAborted);
            var bodyMemory = body.AsMemory(0, length);
            var request = dialect == Dialect.AnthropicMessages
                ? AnthropicRequestDecoder.Decode(bodyMemory)
                : OpenAiChatRequestDecoder.Decode(bodyMemory);
            exchange.ModelRequested = request.Model;
            exchange.Stream = request.Stream;

            // 2-4 identify, authorize, admit: governance stages plug in here (they need the principal before any spend).
            // 5 inspect-in: input guardrails plug in here, before anything leaves for a provider.

            // 7 route: the ordered targets for the requested name (404 with suggestions when unknown).
            var resolution = snapshot.Resolve(request.Model);
            if (!resolution.Found)
            {
                await FailAsync(exchange, resolution.Error!);
                return;
            }

            // 8 call: try targets in order; a failure before the response is committed moves on to the next.
            await ServeAsync(exchange, request, bodyMemory, resolution.Targets!, resolution.Retry);
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
        finally
        {
            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body);
            }

            // 11 record: log, metrics — enqueue only.
            _recorder.Finish(exchange);
        }
    }

    private async Task ServeAsync(Exchange exchange, ChatRequest request, ReadOnlyMemory<byte> body, RouteTarget[] targets, RetryConfig retry)
    {
        GatewayError? last = null;
        var aborted = exchange.Http.RequestAborted;
        foreach (var target in targets)
        {
            for (var attempt = 1; attempt <= retry.Attempts; attempt++)
            {
                exchange.Target = target;
                exchange.Attempts++;
                var result = request.Stream
                    ? await _stream.TryAsync(exchange, request, body, target)
                    : await _unary.TryAsync(exchange, request, body, target);
                if (result.Succeeded)
                {
                    return;
                }

                last = result.Error!;
                _recorder.UpstreamFailed(target, last);
                if (result.Committed)
                {
                    exchange.Error = last;
                    return;
                }

                if (!last.IsRetryable || aborted.IsCancellationRequested)
                {
                    await FailAsync(exchange, last);
                    return;
                }

                // Retry the same target after a jittered backoff, or move on when the provider asks for a longer pause.
                if (attempt == retry.Attempts || RetryBackoff.Delay(retry, attempt, last, Random.Shared) is not { } delay)
                {
                    break;
                }

                await Task.Delay(delay, _time, aborted);
            }
        }

        await FailAsync(exchange, last!);
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
