namespace Gatehouse.Inspection;

/// <summary>The result of one check: outcome, a score in [0, 1], a reason for people and logs, and the findings behind it.</summary>
/// <param name="Outcome">Pass, violation, or not scanned.</param>
/// <param name="Score">How strongly the check fired, 0 to 1 (1 for rule checks that fired).</param>
/// <param name="Reason">A short reason for a violation or a non-scan; null on pass.</param>
/// <param name="Detections">The findings behind the verdict; empty when there are none.</param>
public sealed record Verdict(VerdictOutcome Outcome, double Score, string? Reason, IReadOnlyList<Detection> Detections)
{
    /// <summary>A pass with no findings.</summary>
    public static Verdict Pass { get; } = new(VerdictOutcome.Pass, 0, null, []);

    /// <summary>True when the outcome is <see cref="VerdictOutcome.Violation"/>.</summary>
    public bool IsViolation => Outcome == VerdictOutcome.Violation;

    /// <summary>A violation with a reason and optional findings.</summary>
    public static Verdict Violation(string reason, double score = 1, IReadOnlyList<Detection>? detections = null) =>
        new(VerdictOutcome.Violation, score, reason, detections ?? []);

    /// <summary>A check that could not run, with why.</summary>
    public static Verdict NotScanned(string reason) => new(VerdictOutcome.NotScanned, 0, reason, []);
}
