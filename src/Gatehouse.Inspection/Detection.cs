namespace Gatehouse.Inspection;

/// <summary>One finding of a detector: what was found, where in the scanned text, and how sure the detector is.</summary>
/// <param name="Detector">The detector that produced it, one of <see cref="DetectorNames"/>.</param>
/// <param name="Type">What was found, e.g. <c>email</c>, <c>credit_card</c>, <c>github_token</c>, <c>prompt_injection</c>.</param>
/// <param name="Start">Offset of the first UTF-16 code unit in the original text.</param>
/// <param name="Length">Number of UTF-16 code units covered.</param>
/// <param name="Confidence">How sure the detector is, from 0 to 1.</param>
/// <param name="RuleId">The rule that matched, when the detector has named rules.</param>
public readonly record struct Detection(string Detector, string Type, int Start, int Length, double Confidence, string? RuleId = null)
{
    /// <summary>Offset just past the last code unit covered.</summary>
    public int End => Start + Length;
}
