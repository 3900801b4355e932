using Gatehouse.Inspection.Text;

namespace Gatehouse.Inspection.Secrets;

/// <summary>
/// Vectorized passes over the text that tell which rules can possibly match and where: every rule names literal
/// keywords, and a rule is evaluated only around the places its keywords occur. Exact-case keywords (token prefixes)
/// and case-insensitive ones (context words) are searched separately.
/// </summary>
internal sealed class KeywordPrefilter
{
    private readonly LiteralSets _exact;
    private readonly LiteralSets _ignoreCase;

    /// <summary>Builds the prefilter; <paramref name="generic"/> keywords mark rule index <paramref name="genericIndex"/>.</summary>
    public KeywordPrefilter(IReadOnlyList<SecretRule> rules, IReadOnlyList<string> generic, int genericIndex)
    {
        var exact = new List<(string, int)>();
        var ignoreCase = new List<(string, int)>();
        for (var i = 0; i < rules.Count; i++)
        {
            foreach (var keyword in rules[i].Keywords)
            {
                (rules[i].IgnoreCaseKeywords ? ignoreCase : exact).Add((keyword, i));
            }
        }

        foreach (var keyword in generic)
        {
            ignoreCase.Add((keyword, genericIndex));
        }

        _exact = new LiteralSets(exact, StringComparison.Ordinal);
        _ignoreCase = new LiteralSets(ignoreCase, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Appends (rule, position) for every keyword occurrence in <paramref name="text"/>.</summary>
    public void Find(ReadOnlySpan<char> text, List<LiteralHit> hits)
    {
        _exact.Find(text, hits);
        _ignoreCase.Find(text, hits);
    }
}
