namespace Gatehouse.Inspection.Secrets;

/// <summary>A keyword of rule <paramref name="Rule"/> occurs at <paramref name="Position"/>.</summary>
/// <param name="Rule">Index of the rule (the generic detector's index is the rule count).</param>
/// <param name="Position">Offset of the keyword in the text.</param>
internal readonly record struct KeywordHit(int Rule, int Position)
{
    /// <summary>Orders by rule, then position.</summary>
    public static int Compare(KeywordHit a, KeywordHit b) => a.Rule != b.Rule ? a.Rule.CompareTo(b.Rule) : a.Position.CompareTo(b.Position);
}
