using Gatehouse.Inspection.Text;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Scores folded text against a rule list like <see cref="PreparedText.RuleScore"/>, but runs a rule's pattern only
/// on the windows around occurrences of its <see cref="InjectionRule.Anchors"/> (found with vectorized searches, a
/// dozen anchors per set): from <see cref="Before"/> characters before an anchor to <see cref="After"/> after it,
/// widened to word boundaries so <c>\b</c> sees the real neighbours. Every built-in pattern's match is shorter than that.
/// </summary>
internal sealed class InjectionRuleMatcher
{
    /// <summary>How far before an anchor a match can start.</summary>
    public const int Before = 160;

    /// <summary>How far after an anchor a match can end.</summary>
    public const int After = 300;

    private static readonly Comparer<LiteralHit> ById = Comparer<LiteralHit>.Create(LiteralHit.Compare);

    [ThreadStatic]
    private static List<LiteralHit>? t_hits;

    private readonly IReadOnlyList<InjectionRule> _rules;
    private readonly LiteralSets _anchors;

    /// <summary>Builds the anchor sets of <paramref name="rules"/>.</summary>
    public InjectionRuleMatcher(IReadOnlyList<InjectionRule> rules)
    {
        _rules = rules;
        _anchors = new LiteralSets(rules.SelectMany((r, i) => r.Anchors.Select(a => (a, i))), StringComparison.Ordinal);
    }

    /// <summary>The highest weight of a matching rule and its id (0 and null when none matches).</summary>
    public double Score(ReadOnlySpan<char> text, out string? ruleId)
    {
        var hits = t_hits ??= [];
        hits.Clear();
        _anchors.Find(text, hits);
        hits.Sort(LiteralHit.Compare);
        ruleId = null;
        double best = 0;
        for (var i = 0; i < _rules.Count; i++)
        {
            var rule = _rules[i];
            if (rule.Weight > best && (rule.Anchors.Count == 0 ? rule.Pattern.IsMatch(text) : MatchesNearAnchors(rule, text, hits, i)))
            {
                best = rule.Weight;
                ruleId = rule.Id;
            }
        }

        return best;
    }

    private static bool MatchesNearAnchors(InjectionRule rule, ReadOnlySpan<char> text, List<LiteralHit> hits, int index)
    {
        var i = hits.BinarySearch(new LiteralHit(index, -1), ById);
        i = i < 0 ? ~i : i;
        while (i < hits.Count && hits[i].Id == index)
        {
            var start = Math.Max(0, hits[i].Position - Before);
            var end = Math.Min(text.Length, hits[i].Position + After);
            while (++i < hits.Count && hits[i].Id == index && hits[i].Position - Before <= end)
            {
                end = Math.Min(text.Length, hits[i].Position + After);
            }

            // Widen to word boundaries, and one character more, so \b and "(?:^|\n)" see the text as it is.
            while (start > 0 && char.IsLetterOrDigit(text[start - 1]))
            {
                start--;
            }

            while (end < text.Length && char.IsLetterOrDigit(text[end]))
            {
                end++;
            }

            if (rule.Pattern.IsMatch(text[..Math.Min(text.Length, end + 1)], start))
            {
                return true;
            }
        }

        return false;
    }
}
