using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Pipeline;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Gives bodiless framework answers (405 from routing, 413 from Kestrel) an error body in the client's dialect. Run by
/// <see cref="ExceptionShieldingMiddleware"/> instead of ASP.NET Core's status code pages, whose middleware allocated a
/// feature and an items dictionary on every request.
/// </summary>
public static class StatusCodeErrors
{
    /// <summary>Whether <paramref name="http"/>'s answer is a status without a body that this class gives one.</summary>
    public static bool Applies(Microsoft.AspNetCore.Http.HttpContext http) =>
        http.Response is { HasStarted: false, StatusCode: 405 or 413, ContentLength: null } response && string.IsNullOrEmpty(response.ContentType);

    /// <summary>Writes the error body for the answer's status.</summary>
    public static Task WriteAsync(Microsoft.AspNetCore.Http.HttpContext http)
    {
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
