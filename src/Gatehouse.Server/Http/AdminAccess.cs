using System.Net;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Http;

/// <summary>
/// Guards the admin API until admin identities exist (governance issue): only clients on this machine may read
/// request logs and routing state, even when the gateway listens beyond loopback.
/// </summary>
public static class AdminAccess
{
    /// <summary>Whether the caller may use the admin API.</summary>
    public static bool IsAllowed(HttpContext http) => http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);

    /// <summary>Wraps an admin handler with the loopback check; other callers get 403.</summary>
    public static RequestDelegate LoopbackOnly(RequestDelegate handler) => http => IsAllowed(http)
        ? handler(http)
        : ErrorResponder.WriteAsync(http, Dialect.OpenAiChat, new GatewayError(
            ErrorKind.PermissionDenied,
            "The admin API answers only clients on the gateway's own machine until admin authentication is configured.",
            "admin_loopback_only"));
}
