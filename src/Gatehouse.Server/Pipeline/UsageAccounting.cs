using Gatehouse.Core;
using Gatehouse.Providers.Catalog;
using Gatehouse.Server.Runtime;
using Gatehouse.Server.Telemetry;

namespace Gatehouse.Server.Pipeline;

/// <summary>Turns provider-reported usage into cost (from the catalog) and metrics.</summary>
public sealed class UsageAccounting
{
    private readonly GatewayMetrics _metrics;

    /// <summary>Creates the accounting stage.</summary>
    public UsageAccounting(GatewayMetrics metrics) => _metrics = metrics;

    /// <summary>
    /// Records the final usage of an exchange served by <paramref name="target"/>. After an output guardrail routed the
    /// request, the rejected answer's usage and cost are added: the request is charged for both calls.
    /// </summary>
    public void Settle(Exchange exchange, RouteTarget target, Usage usage)
    {
        decimal? cost = target.Info is { } info ? ModelCatalog.Cost(info, usage) : null;
        _metrics.Usage(target.Provider.Name, target.Model, usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, cost);
        if (exchange.Reroute is { Pending: false } rejected)
        {
            var earlier = rejected.Usage;
            usage = new Usage(
                earlier.InputTokens + usage.InputTokens,
                earlier.OutputTokens + usage.OutputTokens,
                earlier.CachedInputTokens + usage.CachedInputTokens,
                earlier.CacheWriteTokens + usage.CacheWriteTokens,
                earlier.ReasoningTokens + usage.ReasoningTokens);
            cost = cost is null && rejected.Cost is null ? null : (cost ?? 0) + (rejected.Cost ?? 0);
        }

        exchange.Usage = usage;
        exchange.Cost = cost;
    }
}
