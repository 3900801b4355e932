using Gatehouse.Core;
using Gatehouse.Server.Runtime;
using Gatehouse.Server.Telemetry;
using Gatehouse.Storage.RequestLogs;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Pipeline;

/// <summary>The record stage: turns a finished exchange into a request log record and metrics, enqueue only.</summary>
public sealed partial class ExchangeRecorder
{
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly RequestLogWriter _logs;
    private readonly ILogger<ExchangeRecorder> _logger;

    /// <summary>Creates the recorder.</summary>
    public ExchangeRecorder(TimeProvider time, GatewayMetrics metrics, RequestLogWriter logs, ILogger<ExchangeRecorder> logger)
    {
        _time = time;
        _metrics = metrics;
        _logs = logs;
        _logger = logger;
    }

    /// <summary>A request started.</summary>
    public void Started() => _metrics.RequestStarted();

    /// <summary>An upstream attempt failed.</summary>
    public void UpstreamFailed(RouteTarget target, GatewayError error)
    {
        _metrics.UpstreamError(target.Provider.Name, target.Model, error.Code ?? error.Kind.ToString());
        LogUpstreamFailed(_logger, target.Provider.Name, target.Model, error.Code, error.Message);
    }

    /// <summary>Records the finished exchange.</summary>
    public void Finish(Exchange exchange)
    {
        var status = exchange.Status == 200 && exchange.Http.Response.HasStarted ? exchange.Http.Response.StatusCode : exchange.Status;
        if (exchange.Status == 499)
        {
            status = 499;
        }

        var elapsed = _time.GetElapsedTime(exchange.StartTimestamp);
        double? ttfb = exchange.FirstByteTimestamp is { } first ? _time.GetElapsedTime(exchange.StartTimestamp, first).TotalMilliseconds : null;
        _metrics.RequestFinished(exchange.Route, exchange.Target?.Provider.Name, exchange.Target?.Model, status, elapsed.TotalSeconds, ttfb / 1000);
        if (exchange.RouterProblem is { } problem)
        {
            LogEmbedderFailed(_logger, exchange.Id, problem);
        }

        if (exchange.Error is { Kind: ErrorKind.Internal } internalError)
        {
            LogInternalError(_logger, exchange.Id, internalError.Message);
        }

        _logs.Enqueue(new RequestLogRecord
        {
            Id = exchange.Id,
            Timestamp = exchange.Arrived,
            Route = exchange.Route,
            ModelRequested = exchange.ModelRequested,
            Provider = exchange.Target?.Provider.Name,
            ModelServed = exchange.Target?.Model,
            Status = status,
            Stream = exchange.Stream,
            LatencyMs = elapsed.TotalMilliseconds,
            TtfbMs = ttfb,
            InputTokens = exchange.Usage.InputTokens,
            OutputTokens = exchange.Usage.OutputTokens,
            CachedInputTokens = exchange.Usage.CachedInputTokens,
            CostUsd = exchange.Cost,
            Attempts = exchange.Attempts,
            ErrorCode = exchange.Error?.Code ?? exchange.Error?.Kind.ToString(),
            ErrorMessage = exchange.Error?.Message,
            Guardrails = exchange.Guardrails?.LogValue(),
            Routing = RoutingTrace.Json(exchange),
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Provider}/{Model} failed: {Code} {Message}")]
    private static partial void LogUpstreamFailed(ILogger logger, string provider, string model, string? code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Semantic routing fell back to the default for request {RequestId}: {Problem}")]
    private static partial void LogEmbedderFailed(ILogger logger, string requestId, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed inside the gateway: {Message}")]
    private static partial void LogInternalError(ILogger logger, string requestId, string message);
}
