using System.Buffers;

namespace Gatehouse.Inspection.Secrets;

/// <summary>
/// One vectorized pass over the text that tells which rules can possibly match: every rule names literal keywords,
/// and a rule whose keywords do not occur is never evaluated. Exact-case keywords (token prefixes) and
/// case-insensitive ones (context words) are searched separately.
/// </summary>
internal sealed class KeywordPrefilter
{
    private readonly Table _exact;
    private readonly Table _ignoreCase;

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

        _exact = new Table(exact, StringComparison.Ordinal);
        _ignoreCase = new Table(ignoreCase, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sets <c>active[i]</c> for every rule whose keyword occurs in <paramref name="text"/>.</summary>
    public void Mark(ReadOnlySpan<char> text, Span<bool> active)
    {
        _exact.Mark(text, active);
        _ignoreCase.Mark(text, active);
    }

    private sealed class Table
    {
        private readonly SearchValues<string> _values;
        private readonly Dictionary<char, (string Keyword, int Rule)[]> _byFirst = [];
        private readonly StringComparison _comparison;

        public Table(List<(string Keyword, int Rule)> entries, StringComparison comparison)
        {
            _comparison = comparison;
            var ignoreCase = comparison == StringComparison.OrdinalIgnoreCase;
            foreach (var group in entries.GroupBy(e => ignoreCase ? char.ToLowerInvariant(e.Keyword[0]) : e.Keyword[0]))
            {
                _byFirst[group.Key] = [.. group];
            }

            _values = SearchValues.Create([.. entries.Select(e => e.Keyword).Distinct(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)], comparison);
        }

        public void Mark(ReadOnlySpan<char> text, Span<bool> active)
        {
            var ignoreCase = _comparison == StringComparison.OrdinalIgnoreCase;
            var position = 0;
            while (position < text.Length)
            {
                var found = text[position..].IndexOfAny(_values);
                if (found < 0)
                {
                    return;
                }

                var at = position + found;
                var first = ignoreCase ? char.ToLowerInvariant(text[at]) : text[at];
                if (_byFirst.TryGetValue(first, out var candidates))
                {
                    foreach (var (keyword, rule) in candidates)
                    {
                        if (text[at..].StartsWith(keyword, _comparison))
                        {
                            active[rule] = true;
                        }
                    }
                }

                position = at + 1;
            }
        }
    }
}
