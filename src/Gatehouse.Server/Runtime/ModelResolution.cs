using Gatehouse.Core;

namespace Gatehouse.Server.Runtime;

/// <summary>The outcome of resolving a requested model name: ordered targets, or a 404 error.</summary>
public readonly record struct ModelResolution(RouteTarget[]? Targets, GatewayError? Error)
{
    /// <summary>Whether the name resolved.</summary>
    public bool Found => Targets is not null;
}
