namespace Gatehouse.Server.Routing;

/// <summary>One semantic route as the router is built from it: name, model, examples and an optional description.</summary>
public sealed record SemanticRouteSpec(string Name, string Model, IReadOnlyList<string> Examples, string? Description);
