using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Hosting;

/// <summary>The readiness check: a configuration is loaded and at least one provider is configured.</summary>
public static class Health
{
    /// <summary>Answers <c>/readyz</c>.</summary>
    public static Task ReadyAsync(HttpContext http, SnapshotHolder snapshots)
    {
        var snapshot = snapshots.Current;
        var ready = snapshot.Providers.Count > 0;
        http.Response.StatusCode = ready ? 200 : 503;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(ready
            ? $"{{\"status\":\"ready\",\"providers\":{snapshot.Providers.Count},\"config_generation\":{snapshots.Generation}}}"
            : "{\"status\":\"not_ready\",\"reason\":\"no providers configured\"}");
    }
}
