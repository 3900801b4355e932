namespace Gatehouse.Inspection.Pii;

/// <summary>
/// A candidate pattern written in code: finds what its regular expression finds, with the same leftmost-first
/// backtracking result, without the regex engine's per-call cost. Implemented by structs so calls are specialized.
/// </summary>
internal interface ICandidatePattern
{
    /// <summary>
    /// The first match that starts at or after <paramref name="from"/>, as <see cref="Text.WindowMatches"/> gives it:
    /// the pattern sees the text before <paramref name="from"/> (lookbehinds) and at most two characters after
    /// <paramref name="end"/>; a first match that ends past <paramref name="end"/> ends the search. Returns the
    /// start, or -1.
    /// </summary>
    static abstract int Next(ReadOnlySpan<char> text, int from, int end, out int length);
}
