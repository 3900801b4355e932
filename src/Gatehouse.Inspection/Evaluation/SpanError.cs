namespace Gatehouse.Inspection.Evaluation;

/// <summary>One mistake of a detector on a dataset, for the report's error listing.</summary>
/// <param name="Kind"><c>missed</c> (a labelled value no detection of its type overlaps), <c>false-positive</c> or <c>decoy-flagged</c>.</param>
/// <param name="Type">The expected type (missed) or the detection's type.</param>
/// <param name="Rule">The rule of the label (missed) or of the detection.</param>
/// <param name="Value">The text of the span.</param>
/// <param name="Context">The example's source, or a file name and line for corpus scans.</param>
public sealed record SpanError(string Kind, string Type, string? Rule, string Value, string Context);
