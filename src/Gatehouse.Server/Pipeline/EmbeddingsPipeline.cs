using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Providers;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Inspection;
using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// The request path for <c>POST /v1/embeddings</c>: decode, route, admit, input guardrails, call (with the virtual model's strategy, retries,
/// breakers, deadline and fallbacks), account, answer.
/// </summary>
public sealed class EmbeddingsPipeline
{
    private const int MaxAnswerBytes = 256 * 1024 * 1024;

    private readonly SnapshotHolder _snapshots;
    private readonly TimeProvider _time;
    private readonly ExchangeRecorder _recorder;
    private readonly UsageAccounting _accounting;
    private readonly GovernanceGate _governance;
    private readonly AttemptRunner _attempts;
    private readonly GuardrailRunner _guardrails;

    /// <summary>Creates the pipeline.</summary>
    public EmbeddingsPipeline(SnapshotHolder snapshots, TimeProvider time, ExchangeRecorder recorder, UsageAccounting accounting, GovernanceGate governance, AttemptRunner attempts, GuardrailRunner guardrails)
    {
        _guardrails = guardrails;
        _attempts = attempts;
        _governance = governance;
        _snapshots = snapshots;
        _time = time;
        _recorder = recorder;
        _accounting = accounting;
    }

    /// <summary>Serves one embeddings request.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        var snapshot = _snapshots.Current;
        var exchange = new Exchange(http, "/v1/embeddings", Dialect.OpenAiChat, snapshot, _time.GetTimestamp(), _time.GetUtcNow());
        http.Response.Headers["x-request-id"] = exchange.Id;
        _recorder.Started();
        byte[]? body = null;
        try
        {
            if (await _governance.IdentifyAsync(exchange) is { } unidentified)
            {
                await FailAsync(exchange, unidentified);
                return;
            }

            (body, var length) = await RequestBodyReader.ReadAsync(http.Request, snapshot.Config.Server.MaxBodyBytes, http.RequestAborted);
            var request = EmbeddingsRequestDecoder.Decode(body.AsMemory(0, length));
            exchange.ModelRequested = request.Model;
            var resolution = snapshot.Resolve(request.Model);
            var error = snapshot.Routers.TryGet(request.Model, out _)
                ? GatewayError.Invalid($"'{request.Model}' is a router, which chooses models for chat requests only; ask for an embeddings model by name.", "model", "router_not_for_embeddings")
                : resolution.Error;
            if (resolution.Found)
            {
                // Embeddings produce no output tokens: the reservation is the input alone. Then the input guardrails
                // (5 inspect-in: each input text as user text; block, redact, flag), so policies that read their
                // verdicts are decided after them.
                var estimate = PromptEstimate.Tokens(request.Inputs);
                error = await _governance.AdmitAsync(exchange, "use_embeddings", request.Model, estimate, 0, resolution.Targets!, default)
                    ?? (snapshot.Guardrails.Any(GuardrailStage.Input) ? await _guardrails.InspectEmbeddingsAsync(exchange, request.Inputs) : null)
                    ?? _governance.AuthorizeWithVerdicts(exchange, "use_embeddings", request.Model, resolution.Targets!, default, estimate)
                    ?? await _attempts.ServeAsync(exchange, new EmbeddingsCall(this, request, estimate), resolution);
            }

            if (error is not null)
            {
                await FailAsync(exchange, error);
            }
        }
        catch (GatewayException ex)
        {
            await FailAsync(exchange, ex.Error);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
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

            await _governance.SettleAsync(exchange);
            _recorder.Finish(exchange);
        }
    }

    /// <summary>Tries one target; returns null when the answer was written, else the error.</summary>
    private async Task<GatewayError?> TryAsync(Exchange exchange, EmbeddingsRequest request, RouteTarget target)
    {
        var adapter = target.Provider.Adapter;
        using var message = adapter.BuildEmbeddingsRequest(request, target.Model);
        if (message is null)
        {
            return GatewayError.Invalid($"Provider '{target.Provider.Name}' ({target.Provider.Options.Kind}) has no embeddings API; choose an embeddings model of another provider.", "model", "embeddings_not_supported");
        }

        exchange.ApplyVaultKey(message, target);

        using var cancellation = AttemptCancellation.For(exchange, target, _time, exchange.Http.RequestAborted);
        var (response, sendError) = await UpstreamSender.SendAsync(target, message, cancellation);
        if (response is null)
        {
            return sendError;
        }

        using (response)
        {
            cancellation.FirstByteReceived();
            if (!response.IsSuccessStatusCode)
            {
                return await UpstreamSender.ReadErrorAsync(target, response, cancellation);
            }

            EmbeddingsResponse decoded;
            try
            {
                using var answer = await UpstreamBody.ReadAsync(response, MaxAnswerBytes, target.Provider.Name, cancellation.Token);
                decoded = adapter.DecodeEmbeddingsResponse(answer.Memory);
            }
            catch (GatewayException ex)
            {
                return ex.Error;
            }
            catch (OperationCanceledException) when (!cancellation.ClientGone)
            {
                return cancellation.TimeoutError(target.Provider.Name);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                return new GatewayError(ErrorKind.UpstreamUnavailable, $"The connection to provider '{target.Provider.Name}' broke while reading its answer.", "upstream_connection_lost");
            }

            _accounting.Settle(exchange, target, decoded.Usage);
            await WriteAsync(exchange, request, target, decoded);
            return null;
        }
    }

    private async Task WriteAsync(Exchange exchange, EmbeddingsRequest request, RouteTarget target, EmbeddingsResponse decoded)
    {
        var response = exchange.Http.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        ServedHeaders.Apply(response, exchange, target);
        ServedHeaders.ApplyUsage(response, exchange);
        using var buffer = new PooledBufferWriter(decoded.Vectors.Count * 4096);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (var i = 0; i < decoded.Vectors.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                if (request.EncodingFormat == "base64")
                {
                    writer.WriteBase64String("embedding", MemoryMarshal.AsBytes(decoded.Vectors[i].AsSpan()));
                }
                else
                {
                    writer.WriteStartArray("embedding");
                    foreach (var value in decoded.Vectors[i])
                    {
                        writer.WriteNumberValue(value);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model", decoded.Model.Length > 0 ? decoded.Model : target.Model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", decoded.Usage.InputTokens);
            writer.WriteNumber("total_tokens", decoded.Usage.InputTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        exchange.FirstByteTimestamp = _time.GetTimestamp();
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, exchange.Http.RequestAborted);
    }

    private static async Task FailAsync(Exchange exchange, GatewayError error)
    {
        exchange.Error = error;
        exchange.Status = error.HttpStatus;
        await ErrorResponder.WriteAsync(exchange.Http, Dialect.OpenAiChat, error);
    }

    /// <summary>An embeddings request as the attempt runner tries it.</summary>
    private sealed class EmbeddingsCall(EmbeddingsPipeline pipeline, EmbeddingsRequest request, long promptTokens) : UpstreamCall
    {
        public override string Model => request.Model;

        public override bool Stream => false;

        public override long PromptTokens => promptTokens;

        public override long OutputTokens => 0;

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<AttemptResult> TryAsync(Exchange exchange, RouteTarget target) =>
            await pipeline.TryAsync(exchange, request, target) is { } error ? AttemptResult.Failed(error) : AttemptResult.Success;
    }
}
