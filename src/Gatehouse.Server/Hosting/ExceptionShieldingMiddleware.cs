using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Turns any unhandled exception into a 500 in the client's dialect, logged once, never leaking internals; gives the
/// framework's bodiless 405 and 413 answers a body (<see cref="StatusCodeErrors"/>).
/// </summary>
public sealed partial class ExceptionShieldingMiddleware
{
    /// <summary>The answer to a request that failed on a bug: a 500 that says nothing of the gateway's internals.</summary>
    public static readonly GatewayError Unexpected = new(ErrorKind.Internal, "The gateway failed unexpectedly; the error was logged. Retry, and report it if it persists.", "internal_error");

    private readonly RequestDelegate _next;
    private readonly ILogger<ExceptionShieldingMiddleware> _logger;

    /// <summary>Creates the middleware.</summary>
    public ExceptionShieldingMiddleware(RequestDelegate next, ILogger<ExceptionShieldingMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    /// <summary>Runs the rest of the pipeline inside the shield.</summary>
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await _next(http);
            if (StatusCodeErrors.Applies(http))
            {
                await StatusCodeErrors.WriteAsync(http);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        catch (Exception ex)
        {
            LogUnhandled(_logger, ex, http.Request.Method, http.Request.Path);
            var dialect = http.Request.Path.StartsWithSegments("/v1/messages", StringComparison.Ordinal) ? Dialect.AnthropicMessages : Dialect.OpenAiChat;
            await ErrorResponder.WriteAsync(http, dialect, Unexpected);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
