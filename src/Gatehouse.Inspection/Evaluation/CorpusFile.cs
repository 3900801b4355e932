namespace Gatehouse.Inspection.Evaluation;

/// <summary>One file of a negative corpus manifest: its path and the size it had when the manifest was written.</summary>
/// <param name="Path">Full path (relative manifest entries are resolved against the manifest's directory).</param>
/// <param name="Bytes">Expected size in bytes; a different size means the corpus changed.</param>
public readonly record struct CorpusFile(string Path, long Bytes);
