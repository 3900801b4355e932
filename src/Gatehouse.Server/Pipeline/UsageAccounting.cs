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

    /// <summary>Records the final usage of an exchange served by <paramref name="target"/>.</summary>
    public void Settle(Exchange exchange, RouteTarget target, Usage usage)
    {
        exchange.Usage = usage;
        exchange.Cost = target.Info is { } info ? ModelCatalog.Cost(info, usage) : null;
        _metrics.Usage(target.Provider.Name, target.Model, usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, exchange.Cost);
    }
}
