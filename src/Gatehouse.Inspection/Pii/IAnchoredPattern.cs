namespace Gatehouse.Inspection.Pii;

/// <summary>
/// A candidate pattern in code that is tried at one position at a time, as the regex engine does: the search for the
/// leftmost match is <see cref="CandidateSearch.Leftmost{TPattern}"/>.
/// </summary>
internal interface IAnchoredPattern
{
    /// <summary>The end of the match that starts at <paramref name="p"/> (lookbehind included), or -1.</summary>
    static abstract int MatchAt(ReadOnlySpan<char> text, int p);
}
