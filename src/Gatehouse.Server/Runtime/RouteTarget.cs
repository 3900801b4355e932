using Gatehouse.Providers.Catalog;

namespace Gatehouse.Server.Runtime;

/// <summary>One place a request can be served: a provider and the upstream model id, with its catalog entry if known.</summary>
public sealed record RouteTarget(ProviderRuntime Provider, string Model, ModelInfo? Info);
