namespace Gatehouse.Server.Routing;

/// <summary>How close a request's text came to one semantic route: its best cosine similarity and the example that gave it (-1 for the description).</summary>
public readonly record struct RouteScore(string Route, string Model, float Score, int Example);
