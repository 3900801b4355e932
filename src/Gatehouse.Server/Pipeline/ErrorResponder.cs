using System.Globalization;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Pipeline;

/// <summary>Writes a gateway error as the HTTP answer, in the client's dialect, with the exact status.</summary>
public static class ErrorResponder
{
    /// <summary>Writes the error if the response has not started; returns false if it had.</summary>
    public static async Task<bool> WriteAsync(HttpContext http, Dialect dialect, GatewayError error)
    {
        if (http.Response.HasStarted)
        {
            return false;
        }

        http.Response.StatusCode = error.HttpStatus;
        http.Response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        using var buffer = new PooledBufferWriter(512);
        if (dialect == Dialect.AnthropicMessages)
        {
            AnthropicErrorWriter.Write(error, buffer);
        }
        else
        {
            OpenAiErrorWriter.Write(error, buffer);
        }

        http.Response.ContentLength = buffer.WrittenCount;
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
        return true;
    }
}
