using System.Text;
using Gatehouse.Inspection.Normalization;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Text made ready for injection scoring: normalized (with its map to the original), decoded payloads appended as
/// extra lines, folded for features and rules, and (for documents) cut into segments with their own features.
/// </summary>
internal sealed class PreparedText
{
    private PreparedText(NormalizedText normalized, string combined, string folded)
    {
        Normalized = normalized;
        Combined = combined;
        Folded = folded;
    }

    /// <summary>The normalized original text.</summary>
    public NormalizedText Normalized { get; }

    /// <summary>Normalized text plus decoded payloads, one a line.</summary>
    public string Combined { get; }

    /// <summary><see cref="Combined"/> folded for scoring.</summary>
    public string Folded { get; }

    /// <summary>Normalizes, decodes and folds <paramref name="text"/>.</summary>
    public static PreparedText Prepare(string text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var combined = WithPayloads(normalized);
        return new PreparedText(normalized, combined, ScoringFolder.Fold(combined));
    }

    /// <summary>The normalized text with the decoded payloads appended, one a line (the normalized text itself when there are none).</summary>
    public static string WithPayloads(NormalizedText normalized)
    {
        var payloads = t_payloads ??= [];
        payloads.Clear();
        EmbeddedPayloadDecoder.Decode(normalized.Text, payloads);
        if (payloads.Count == 0)
        {
            return normalized.Text;
        }

        var builder = new StringBuilder(normalized.Text);
        foreach (var payload in payloads)
        {
            builder.Append('\n').Append(TextNormalizer.Normalize(payload.Text).Text);
        }

        payloads.Clear();
        return builder.ToString();
    }

    [ThreadStatic]
    private static List<DecodedPayload>? t_payloads;

    /// <summary>The original-text span of a span of <see cref="Combined"/> (a decoded payload maps to the whole text).</summary>
    public (int Start, int Length) ToOriginalSpan(int start, int length, int originalLength)
    {
        if (start + length > Normalized.Text.Length)
        {
            return (0, originalLength);
        }

        return Normalized.ToOriginalSpan(start, length);
    }

    /// <summary>The highest rule weight that matches <paramref name="folded"/>, and that rule's id.</summary>
    public static double RuleScore(IReadOnlyList<InjectionRule> rules, string folded, out string? ruleId)
    {
        ruleId = null;
        double best = 0;
        foreach (var rule in rules)
        {
            if (rule.Weight > best && rule.Pattern.IsMatch(folded))
            {
                best = rule.Weight;
                ruleId = rule.Id;
            }
        }

        return best;
    }

    /// <summary>Noisy-or of the model's probability and the rule score.</summary>
    public static double Combine(double model, double rule) => 1 - ((1 - model) * (1 - rule));
}
