namespace Gatehouse.Inspection.Injection;

/// <summary>The injection verdict for one text.</summary>
/// <param name="Score">Combined score, 0 to 1 (noisy-or of model and rules; for documents the maximum over segments).</param>
/// <param name="Threshold">The mode's threshold.</param>
/// <param name="ModelScore">The model's probability for the deciding text or segment.</param>
/// <param name="RuleScore">The highest rule weight for the deciding text or segment.</param>
/// <param name="RuleId">The rule that fired there, if any.</param>
/// <param name="Start">Start of the deciding segment in the original text.</param>
/// <param name="Length">Length of the deciding segment in the original text.</param>
public readonly record struct InjectionScore(double Score, double Threshold, double ModelScore, double RuleScore, string? RuleId, int Start, int Length)
{
    /// <summary>True when the score reaches the threshold.</summary>
    public bool IsAttack => Score >= Threshold;
}
