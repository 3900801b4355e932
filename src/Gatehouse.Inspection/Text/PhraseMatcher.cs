using System.Buffers;
using Gatehouse.Inspection.Normalization;

namespace Gatehouse.Inspection.Text;

/// <summary>
/// Case-insensitive multi-phrase search with word boundaries, built once: a vectorized <see cref="SearchValues{T}"/>
/// scan finds candidate positions, then the longest phrase starting there wins. Phrases are folded with
/// <see cref="TextNormalizer"/>, so scan folded text too (accents, fullwidth and confusables then match).
/// </summary>
public sealed class PhraseMatcher
{
    private readonly SearchValues<string>? _values;
    private readonly Dictionary<char, (string Phrase, int Entry)[]> _byFirstChar;

    /// <summary>Builds a matcher over <paramref name="phrases"/>; empty and whitespace-only phrases are ignored.</summary>
    public PhraseMatcher(IReadOnlyList<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        var folded = new List<(string Phrase, int Entry)>(phrases.Count);
        for (var i = 0; i < phrases.Count; i++)
        {
            var phrase = TextNormalizer.Normalize(phrases[i].Trim()).Text;
            if (phrase.Length > 0)
            {
                folded.Add((phrase, i));
            }
        }

        _byFirstChar = [];
        foreach (var group in folded.GroupBy(p => char.ToLowerInvariant(p.Phrase[0])))
        {
            _byFirstChar[group.Key] = [.. group.OrderByDescending(p => p.Phrase.Length)];
        }

        if (folded.Count > 0)
        {
            _values = SearchValues.Create([.. folded.Select(p => p.Phrase).Distinct(StringComparer.OrdinalIgnoreCase)], StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>True when the matcher has no phrases.</summary>
    public bool IsEmpty => _values is null;

    /// <summary>Appends every whole-word phrase occurrence in <paramref name="text"/> to <paramref name="hits"/>, left to right, not overlapping.</summary>
    public void FindAll(ReadOnlySpan<char> text, List<PhraseHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        if (_values is null)
        {
            return;
        }

        var position = 0;
        while (position < text.Length)
        {
            var found = text[position..].IndexOfAny(_values);
            if (found < 0)
            {
                return;
            }

            var start = position + found;
            if (TryMatchAt(text, start, out var hit))
            {
                hits.Add(hit);
                position = start + hit.Length;
            }
            else
            {
                position = start + 1;
            }
        }
    }

    private bool TryMatchAt(ReadOnlySpan<char> text, int start, out PhraseHit hit)
    {
        hit = default;
        if (!_byFirstChar.TryGetValue(char.ToLowerInvariant(text[start]), out var candidates))
        {
            return false;
        }

        foreach (var (phrase, entry) in candidates)
        {
            var end = start + phrase.Length;
            if (text[start..].StartsWith(phrase, StringComparison.OrdinalIgnoreCase)
                && (!char.IsLetterOrDigit(phrase[0]) || !IsWordChar(text, start - 1))
                && (!char.IsLetterOrDigit(phrase[^1]) || !IsWordChar(text, end)))
            {
                hit = new PhraseHit(start, phrase.Length, entry);
                return true;
            }
        }

        return false;
    }

    private static bool IsWordChar(ReadOnlySpan<char> text, int index) =>
        (uint)index < (uint)text.Length && (char.IsLetterOrDigit(text[index]) || text[index] == '_');
}
