namespace Gatehouse.Inspection.Evaluation;

/// <summary>
/// One labelled span of a <see cref="SpanExample"/>: either a value the detector must find (<see cref="Type"/> set,
/// optionally the <see cref="Rule"/> that should find it) or a decoy it must leave alone (<see cref="Decoy"/> set,
/// e.g. <c>luhn-fail</c>).
/// </summary>
/// <param name="Start">Offset of the first UTF-16 code unit.</param>
/// <param name="Length">Number of UTF-16 code units.</param>
/// <param name="Type">The detection type expected here (<c>email</c>, <c>github_token</c>), null for a decoy.</param>
/// <param name="Rule">For secrets, the rule id the value was generated for.</param>
/// <param name="Decoy">For hard negatives, what kind of look-alike this is.</param>
public sealed record SpanLabel(int Start, int Length, string? Type, string? Rule = null, string? Decoy = null)
{
    /// <summary>Offset just past the last code unit.</summary>
    public int End => Start + Length;

    /// <summary>True for a look-alike that must not be detected.</summary>
    public bool IsDecoy => Type is null;

    /// <summary>True when <paramref name="detection"/> covers at least one character of this span.</summary>
    public bool Overlaps(Detection detection) => detection.Start < End && Start < detection.End;
}
