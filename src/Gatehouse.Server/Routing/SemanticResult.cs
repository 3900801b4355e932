namespace Gatehouse.Server.Routing;

/// <summary>The outcome of comparing a request's text with a semantic router's routes: every route's score and whether the best passed the threshold.</summary>
public sealed class SemanticResult
{
    /// <summary>One score per route, in configuration order; empty when nothing was compared.</summary>
    public IReadOnlyList<RouteScore> Scores { get; init; } = [];

    /// <summary>The index of the highest score, or -1.</summary>
    public int Best { get; init; } = -1;

    /// <summary>The threshold the best score was held against.</summary>
    public double Threshold { get; init; }

    /// <summary>Why nothing was compared (<c>no_text</c>, <c>embedder_unavailable</c>), or null.</summary>
    public string? Error { get; init; }

    /// <summary>What went wrong, set only on the request that met the failure (so it is logged once, not on every skipped request).</summary>
    public string? ErrorDetail { get; init; }

    /// <summary>The winning route, when the best score reached the threshold.</summary>
    public RouteScore? Chosen => Best >= 0 && Scores[Best].Score >= Threshold ? Scores[Best] : null;
}
