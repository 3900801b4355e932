using System.Globalization;
using Gatehouse.Providers.Catalog;
using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Pipeline;

/// <summary>The response headers that say what happened: which target served, after how many attempts, through which fallback.</summary>
public static class ServedHeaders
{
    /// <summary>Sets the headers known when the response starts.</summary>
    public static void Apply(HttpResponse response, Exchange exchange, RouteTarget target)
    {
        var headers = response.Headers;
        headers["x-gatehouse-provider"] = target.Provider.Name;
        headers["x-gatehouse-model"] = target.Model;
        headers["x-gatehouse-target"] = target.Name;
        headers["x-gatehouse-attempts"] = exchange.Attempts.ToString(CultureInfo.InvariantCulture);
        if (exchange.Fallbacks is { } fallbacks && fallbacks.Count > exchange.FallbacksBeforeReroute)
        {
            headers["x-gatehouse-fallback"] = fallbacks[^1];
        }
    }

    /// <summary>Sets the usage and cost headers of a non-streamed answer.</summary>
    public static void ApplyUsage(HttpResponse response, Exchange exchange)
    {
        var headers = response.Headers;
        headers["x-gatehouse-input-tokens"] = exchange.Usage.InputTokens.ToString(CultureInfo.InvariantCulture);
        headers["x-gatehouse-output-tokens"] = exchange.Usage.OutputTokens.ToString(CultureInfo.InvariantCulture);
        if (exchange.Cost is { } cost)
        {
            headers["x-gatehouse-cost-usd"] = ModelCatalog.FormatUsd(cost);
        }
    }
}
