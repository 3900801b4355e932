namespace Gatehouse.Inspection.Evaluation;

/// <summary>
/// Span-level counts for one row of a report. Recall counts labelled values that some detection of the same type
/// overlaps; precision counts detections that overlap a labelled value of their type.
/// </summary>
/// <param name="Labels">Labelled values.</param>
/// <param name="Found">Labelled values that a detection of their type overlaps.</param>
/// <param name="Detections">Detections reported.</param>
/// <param name="Correct">Detections that overlap a labelled value of their type.</param>
public readonly record struct SpanCounts(int Labels, int Found, int Detections, int Correct)
{
    /// <summary>Correct / detections, null without detections.</summary>
    public double? Precision => Detections == 0 ? null : (double)Correct / Detections;

    /// <summary>Found / labels, null without labels.</summary>
    public double? Recall => Labels == 0 ? null : (double)Found / Labels;

    /// <summary>Harmonic mean of precision and recall; null when either is undefined.</summary>
    public double? F1 => Precision is { } p && Recall is { } r ? (p + r == 0 ? 0 : 2 * p * r / (p + r)) : null;

    /// <summary>Detections that overlap no labelled value of their type.</summary>
    public int FalsePositives => Detections - Correct;

    /// <summary>The sum of two rows.</summary>
    public static SpanCounts operator +(SpanCounts a, SpanCounts b) =>
        new(a.Labels + b.Labels, a.Found + b.Found, a.Detections + b.Detections, a.Correct + b.Correct);

    /// <summary>The sum of two rows (named alternative to <c>+</c>).</summary>
    public static SpanCounts Add(SpanCounts a, SpanCounts b) => a + b;
}
