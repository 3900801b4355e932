using Gatehouse.Providers.Catalog;

namespace Gatehouse.Server.Runtime;

/// <summary>One place a request can be served: a provider and the upstream model id, with its catalog entry if known.</summary>
public sealed record RouteTarget(ProviderRuntime Provider, string Model, ModelInfo? Info)
{
    /// <summary>
    /// The target's name in headers, logs, metrics and breakers: <c>provider/model</c>, with <c>@region</c> or
    /// <c>#n</c> (its place in the group) when it overrides how the provider is reached.
    /// </summary>
    public string Name { get; init; } = $"{Provider.Name}/{Model}";

    /// <summary>Requests per minute this gateway may send to the target; null for no quota.</summary>
    public long? MaxRpm { get; init; }

    /// <summary>Tokens per minute this gateway may send to the target; null for no quota.</summary>
    public long? MaxTpm { get; init; }
}
