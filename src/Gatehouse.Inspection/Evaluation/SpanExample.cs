namespace Gatehouse.Inspection.Evaluation;

/// <summary>One labelled text of a PII or secrets dataset: the values a detector must find and the decoys it must not.</summary>
/// <param name="Text">The text.</param>
/// <param name="Detector">Which detector the labels are for, <c>pii</c> or <c>secrets</c>.</param>
/// <param name="Category">The group the example is reported under (<c>positive</c>, <c>negative</c>, <c>mixed</c>).</param>
/// <param name="Spans">The labelled values and decoys.</param>
/// <param name="Source">How the example was made (generator template).</param>
public sealed record SpanExample(string Text, string Detector, string Category, IReadOnlyList<SpanLabel> Spans, string Source = "");
