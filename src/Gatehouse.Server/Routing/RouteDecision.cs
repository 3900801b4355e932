using System.Globalization;
using System.Text;

namespace Gatehouse.Server.Routing;

/// <summary>
/// A router's choice for one request and why: the rule or route that matched with its score, sent as the
/// <c>x-gatehouse-route</c> header and stored in the request log (<see cref="Summary"/>).
/// </summary>
public sealed class RouteDecision
{
    private string? _summary;

    /// <summary>The router's name.</summary>
    public required string Router { get; init; }

    /// <summary>The chosen model (a virtual model or <c>provider/model</c>).</summary>
    public required string Model { get; init; }

    /// <summary>What chose it.</summary>
    public required RouteDecisionKind Kind { get; init; }

    /// <summary>The rule or semantic route that matched; null for the default.</summary>
    public string? Matched { get; init; }

    /// <summary>The semantic comparison, when one was made.</summary>
    public SemanticResult? Semantic { get; init; }

    /// <summary>Whether the semantic result came from the router's cache.</summary>
    public bool CacheHit { get; init; }

    /// <summary>Every rule evaluated, in order (filled only when the decision is explained).</summary>
    public IReadOnlyList<RuleOutcome> Rules { get; init; } = [];

    /// <summary>
    /// One line: <c>router=auto rule=long-prompts model=long</c>, <c>router=auto semantic=coding score=0.512 model=coder</c>,
    /// <c>router=auto default model=general best=coding score=0.104 threshold=0.200</c> or
    /// <c>router=auto default model=general error=embedder_unavailable</c>; <c>cache=hit</c> is appended when cached.
    /// </summary>
    public string Summary => _summary ??= Format();

    private string Format()
    {
        var text = new StringBuilder(96).Append("router=").Append(Router);
        switch (Kind)
        {
            case RouteDecisionKind.Rule:
                text.Append(" rule=").Append(Matched).Append(" model=").Append(Model);
                break;
            case RouteDecisionKind.Semantic:
                text.Append(" semantic=").Append(Matched).Append(" score=").Append(Score(Semantic!.Scores[Semantic.Best].Score)).Append(" model=").Append(Model);
                break;
            default:
                text.Append(" default model=").Append(Model);
                if (Semantic is { Error: { } error })
                {
                    text.Append(" error=").Append(error);
                }
                else if (Semantic is { Best: >= 0 } semantic)
                {
                    var best = semantic.Scores[semantic.Best];
                    text.Append(" best=").Append(best.Route).Append(" score=").Append(Score(best.Score)).Append(" threshold=").Append(Score(semantic.Threshold));
                }

                break;
        }

        if (CacheHit)
        {
            text.Append(" cache=hit");
        }

        return text.ToString();
    }

    private static string Score(double score) => score.ToString("0.000", CultureInfo.InvariantCulture);
}
