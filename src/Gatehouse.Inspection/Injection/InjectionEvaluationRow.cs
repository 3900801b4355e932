namespace Gatehouse.Inspection.Injection;

/// <summary>Held-out accuracy of one kind (or of a whole mode, with <see cref="Kind"/> "all").</summary>
/// <param name="Mode">The mode the kind is scored in.</param>
/// <param name="Kind">The dataset kind, or "all" for the mode as a whole.</param>
/// <param name="Count">Examples of that kind.</param>
/// <param name="Flagged">How many were flagged as attacks.</param>
/// <param name="Precision">For attack kinds: flagged attacks of this kind over them plus the mode's false positives; null for benign kinds.</param>
/// <param name="Recall">For attack kinds: flagged over count; null for benign kinds.</param>
/// <param name="F1">Harmonic mean of precision and recall; null for benign kinds.</param>
/// <param name="FalsePositiveRate">For benign kinds: flagged over count; for attack kinds and "all": the mode's benign false-positive rate.</param>
public sealed record InjectionEvaluationRow(InjectionMode Mode, string Kind, int Count, int Flagged, double? Precision, double? Recall, double? F1, double FalsePositiveRate);
