using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Pipeline;
using Microsoft.AspNetCore.Diagnostics;

namespace Gatehouse.Server.Hosting;

/// <summary>Gives bodiless framework answers (405, 413 from Kestrel) an error body in the client's dialect.</summary>
public static class StatusCodeErrors
{
    /// <summary>The status-code-pages handler.</summary>
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var error = status switch
        {
            405 => new GatewayError(ErrorKind.InvalidRequest, $"Method {http.Request.Method} is not allowed on {http.Request.Path}.", "method_not_allowed"),
            413 => new GatewayError(ErrorKind.PayloadTooLarge, "The request body is larger than this gateway accepts.", "request_too_large"),
            _ => null,
        };
        if (error is null)
        {
            return Task.CompletedTask;
        }

        var dialect = http.Request.Path.StartsWithSegments("/v1/messages", StringComparison.Ordinal) ? Dialect.AnthropicMessages : Dialect.OpenAiChat;
        http.Response.StatusCode = status;
        return WriteKeepingStatusAsync(http, dialect, error, status);
    }

    private static async Task WriteKeepingStatusAsync(Microsoft.AspNetCore.Http.HttpContext http, Dialect dialect, GatewayError error, int status)
    {
        await ErrorResponder.WriteAsync(http, dialect, error);
        http.Response.StatusCode = status;
    }
}
