using System.Text.RegularExpressions;

namespace Gatehouse.Inspection.Injection;

/// <summary>A weighted heuristic over folded text (lower case, leetspeak undone); compiled NonBacktracking, so linear on any input.</summary>
public sealed class InjectionRule
{
    /// <summary>
    /// Creates a rule. <paramref name="anchors"/>, when given, are lower-case literals of which every match contains
    /// at least one: text without any of them skips the pattern.
    /// </summary>
    public InjectionRule(string id, double weight, string pattern, string[]? anchors = null)
    {
        Anchors = anchors ?? [];
        Id = id;
        Weight = weight;
        Pattern = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout);
    }

    /// <summary>Stable rule id.</summary>
    public string Id { get; }

    /// <summary>Score the rule contributes when it matches, 0 to 1.</summary>
    public double Weight { get; }

    /// <summary>Literals every match contains (empty: the pattern always runs).</summary>
    public IReadOnlyList<string> Anchors { get; }

    /// <summary>The pattern, over folded text.</summary>
    public Regex Pattern { get; }
}
