namespace Gatehouse.Inspection.Text;

/// <summary>One phrase found by <see cref="PhraseMatcher"/>: where, and which entry.</summary>
/// <param name="Start">Offset in the scanned text.</param>
/// <param name="Length">Length of the phrase.</param>
/// <param name="Entry">Index of the entry in the list the matcher was built from.</param>
public readonly record struct PhraseHit(int Start, int Length, int Entry);
