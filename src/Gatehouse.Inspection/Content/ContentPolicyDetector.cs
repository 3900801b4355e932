using System.Text.RegularExpressions;
using Gatehouse.Inspection.Normalization;
using Gatehouse.Inspection.Text;

namespace Gatehouse.Inspection.Content;

/// <summary>
/// Enforces a <see cref="ContentPolicyOptions"/>: banned phrases by one multi-string search over normalized text
/// (spans mapped back to the original), custom regexes (each run only on text that holds the literal its matches
/// start with, when it has one: <see cref="PatternPrefilter"/>), and the size limit. Compiled once; thread-safe.
/// </summary>
public sealed class ContentPolicyDetector : ITextDetector
{
    /// <summary>Detection type of a banned phrase.</summary>
    public const string BannedPhraseType = "banned_phrase";

    /// <summary>Detection type of a custom pattern match.</summary>
    public const string PatternType = "custom_pattern";

    /// <summary>Detection type of text beyond the size limit.</summary>
    public const string MaxSizeType = "max_size";

    private readonly PhraseMatcher _phrases;
    private readonly Regex[] _patterns;
    private readonly PatternPrefilter?[] _prefilters;
    private readonly int? _maxCharacters;

    /// <summary>Compiles the policy; an invalid regex throws <see cref="ArgumentException"/> naming it.</summary>
    public ContentPolicyDetector(ContentPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _phrases = new PhraseMatcher(options.BannedPhrases);
        _maxCharacters = options.MaxCharacters;
        _patterns = new Regex[options.Patterns.Count];
        _prefilters = new PatternPrefilter?[options.Patterns.Count];
        for (var i = 0; i < _patterns.Length; i++)
        {
            try
            {
                _patterns[i] = new Regex(options.Patterns[i], RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Content policy pattern {i} '{options.Patterns[i]}' is invalid: {e.Message}", nameof(options), e);
            }

            _prefilters[i] = PatternPrefilter.For(options.Patterns[i]);
        }
    }

    /// <inheritdoc />
    public string Name => DetectorNames.ContentPolicy;

    /// <inheritdoc />
    public void Detect(ReadOnlySpan<char> text, List<Detection> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (_maxCharacters is { } max && text.Length > max)
        {
            results.Add(new Detection(Name, MaxSizeType, max, text.Length - max, 1, "max-characters"));
        }

        if (!_phrases.IsEmpty)
        {
            DetectPhrases(text, results);
        }

        for (var i = 0; i < _patterns.Length; i++)
        {
            if (_prefilters[i] is { } prefilter && !prefilter.MayMatch(text))
            {
                continue;
            }

            foreach (var match in _patterns[i].EnumerateMatches(text))
            {
                results.Add(new Detection(Name, PatternType, match.Index, match.Length, 1, $"pattern-{i}"));
            }
        }
    }

    /// <summary>Checks <paramref name="text"/> and returns a verdict naming the first violation.</summary>
    public Verdict Check(string text)
    {
        var results = new List<Detection>();
        Detect(text, results);
        if (results.Count == 0)
        {
            return Verdict.Pass;
        }

        var reason = results[0].Type switch
        {
            MaxSizeType => $"content exceeds {_maxCharacters} characters",
            BannedPhraseType => "content contains a banned phrase",
            _ => $"content matches a forbidden pattern ({results[0].RuleId})",
        };
        return Verdict.Violation(reason, 1, results);
    }

    private void DetectPhrases(ReadOnlySpan<char> text, List<Detection> results)
    {
        if (!TextNormalizer.NeedsWork(text))
        {
            AddPhrases(text, null, results);
            return;
        }

        var normalized = TextNormalizer.Normalize(text);
        AddPhrases(normalized.Text, normalized, results);
    }

    private void AddPhrases(ReadOnlySpan<char> text, NormalizedText? map, List<Detection> results)
    {
        var hits = new List<PhraseHit>();
        _phrases.FindAll(text, hits);
        foreach (var hit in hits)
        {
            var (start, length) = map is null ? (hit.Start, hit.Length) : map.ToOriginalSpan(hit.Start, hit.Length);
            results.Add(new Detection(Name, BannedPhraseType, start, length, 1, $"phrase-{hit.Entry}"));
        }
    }
}
