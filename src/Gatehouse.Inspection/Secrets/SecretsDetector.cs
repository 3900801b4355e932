using System.Text.RegularExpressions;
using Gatehouse.Inspection.Text;

namespace Gatehouse.Inspection.Secrets;

/// <summary>
/// Finds credentials: the rules of <see cref="SecretRuleCatalog"/> (or your own), each run only on the windows around
/// its keywords' occurrences, plus a generic detector for high-entropy values assigned to words like <c>password</c>,
/// <c>secret</c>, <c>token</c> or <c>api_key</c>. Scans the original text, so spans need no mapping.
/// </summary>
public sealed class SecretsDetector : ITextDetector
{
    /// <summary>Rule id of the entropy-based generic detector.</summary>
    public const string GenericRuleId = "generic-high-entropy";

    // "encryption_key": the generic pattern's longest keyword lead-in before the "key" the prefilter finds.
    private const int GenericLookBehind = 11;

    [ThreadStatic]
    private static List<LiteralHit>? t_hits;

    private readonly SecretRule[] _rules;
    private readonly KeywordPrefilter _prefilter;
    private readonly bool _generic;

    /// <summary>Creates a detector over <paramref name="rules"/> (null: the built-in catalog), with or without the generic entropy detector.</summary>
    public SecretsDetector(IReadOnlyList<SecretRule>? rules = null, bool generic = true)
    {
        _rules = [.. rules ?? SecretRuleCatalog.All];
        _generic = generic;
        _prefilter = new KeywordPrefilter(_rules, generic ? GenericSecretPattern.Keywords : [], _rules.Length);
    }

    /// <inheritdoc />
    public string Name => DetectorNames.Secrets;

    /// <summary>The rules this detector evaluates (without the generic one).</summary>
    public IReadOnlyList<SecretRule> Rules => _rules;

    /// <inheritdoc />
    public void Detect(ReadOnlySpan<char> text, List<Detection> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var hits = t_hits ??= [];
        hits.Clear();
        _prefilter.Find(text, hits);
        if (hits.Count == 0)
        {
            return;
        }

        hits.Sort(LiteralHit.Compare);
        var firstSpecific = results.Count;
        string? textString = null;
        var i = 0;
        while (i < hits.Count)
        {
            var ruleIndex = hits[i].Id;
            var generic = ruleIndex == _rules.Length;
            var lookBehind = generic ? GenericLookBehind : _rules[ruleIndex].LookBehind;
            var reach = generic ? SecretRule.DefaultReach : _rules[ruleIndex].Reach;
            var specificEnd = results.Count;

            // Windows of one rule, merged where they overlap; each is scanned once.
            while (i < hits.Count && hits[i].Id == ruleIndex)
            {
                var start = Math.Max(0, hits[i].Position - lookBehind);
                var end = (int)Math.Min(text.Length, (long)hits[i].Position + reach);
                while (++i < hits.Count && hits[i].Id == ruleIndex && hits[i].Position - lookBehind <= end)
                {
                    end = (int)Math.Min(text.Length, (long)hits[i].Position + reach);
                }

                if (generic)
                {
                    DetectGeneric(text, start, end, ref textString, results, firstSpecific, specificEnd);
                }
                else
                {
                    DetectRule(_rules[ruleIndex], text, start, end, ref textString, results);
                }
            }
        }
    }

    private static void DetectRule(SecretRule rule, ReadOnlySpan<char> text, int start, int end, ref string? textString, List<Detection> results)
    {
        foreach (var match in Window(rule.Pattern, text, start, end))
        {
            if (rule.Validator is { } validator && !validator(text, match.Index, match.Length))
            {
                continue;
            }

            if (!rule.HasSecretGroup)
            {
                if (!SecretValues.IsFiller(text.Slice(match.Index, match.Length)))
                {
                    results.Add(new Detection(DetectorNames.Secrets, rule.Type, match.Index, match.Length, rule.Confidence, rule.Id));
                }

                continue;
            }

            // Captures only for the (rare) match: the same match, found again from its start.
            textString ??= text.ToString();
            var secret = rule.Pattern.Match(textString, match.Index).Groups["secret"];
            if (secret.Success && !SecretValues.IsPlaceholder(secret.ValueSpan, code: false) && !SecretValues.IsFiller(secret.ValueSpan))
            {
                results.Add(new Detection(DetectorNames.Secrets, rule.Type, secret.Index, secret.Length, rule.Confidence, rule.Id));
            }
        }
    }

    private static void DetectGeneric(ReadOnlySpan<char> text, int start, int end, ref string? textString, List<Detection> results, int firstSpecific, int specificEnd)
    {
        foreach (var found in Window(GenericSecretPattern.Assignment(), text, start, end))
        {
            textString ??= text.ToString();
            var match = GenericSecretPattern.Assignment().Match(textString, found.Index);
            var secret = match.Groups["secret"];
            var value = secret.ValueSpan.TrimEnd(".,;)]}\"'");
            var keyword = match.ValueSpan[..3];
            var confidence = GenericConfidence(value, keyword.StartsWith("pas", StringComparison.OrdinalIgnoreCase) || keyword.StartsWith("pwd", StringComparison.OrdinalIgnoreCase));

            // "AUTH_END = SOCKS5_CUSTOM_AUTH_END": a value that repeats the assignment's keyword is a name, not a secret.
            if (confidence > 0 && value.Contains(match.ValueSpan[..NameLength(match.ValueSpan)], StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (confidence > 0 && !Overlaps(results, firstSpecific, specificEnd, secret.Index, value.Length))
            {
                results.Add(new Detection(DetectorNames.Secrets, "generic_secret", secret.Index, value.Length, confidence, GenericRuleId));
            }
        }
    }

    // Length of the keyword that opens a generic match ("auth" of "AUTH_END = ...", "token" of "token: ...").
    private static int NameLength(ReadOnlySpan<char> match)
    {
        var end = match.IndexOfAnyExcept(Letters);
        return Math.Max(3, end < 0 ? match.Length : end);
    }

    private static readonly System.Buffers.SearchValues<char> Letters = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // Matches that start in [start, end) and end by end + 1 (one character of context for a closing \b or delimiter).
    private static WindowMatches Window(Regex pattern, ReadOnlySpan<char> text, int start, int end) =>
        new(pattern, text, start, Math.Min(text.Length, end + 1));

    /// <summary>Confidence that <paramref name="value"/> is a real secret: high entropy for its alphabet, mixed characters, not a placeholder; 0 if not.</summary>
    public static double GenericConfidence(ReadOnlySpan<char> value, bool isPassword)
    {
        // The placeholder check (29 case-insensitive word searches) only for values whose shape would be reported.
        var confidence = value.Length < 8 ? 0 : ShapeConfidence(value, isPassword);
        return confidence > 0 && !SecretValues.IsPlaceholder(value) ? confidence : 0;
    }

    // The confidence from length, character classes and entropy alone.
    private static double ShapeConfidence(ReadOnlySpan<char> value, bool isPassword)
    {
        var digits = value.IndexOfAnyInRange('0', '9') >= 0;
        var upper = value.IndexOfAnyInRange('A', 'Z') >= 0;
        var lower = value.IndexOfAnyInRange('a', 'z') >= 0;
        var symbols = value.IndexOfAnyExcept(AlphaNumeric) >= 0;
        var classes = (digits ? 1 : 0) + (upper ? 1 : 0) + (lower ? 1 : 0) + (symbols ? 1 : 0);
        var entropy = ShannonEntropy.Of(value);
        var isHex = !value.ContainsAnyExcept(HexChars);
        if (isHex)
        {
            return value.Length >= 20 && entropy >= 3.0 ? 0.7 : 0;
        }

        if (isPassword && digits && classes >= 3 && entropy >= 2.5)
        {
            return 0.65;
        }

        if (value.Length >= 16 && classes >= 2 && digits && entropy >= 3.5)
        {
            return Math.Min(0.9, 0.5 + ((entropy - 3.5) / 2));
        }

        return 0;
    }

    private static readonly System.Buffers.SearchValues<char> AlphaNumeric = System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private static readonly System.Buffers.SearchValues<char> HexChars = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static bool Overlaps(List<Detection> results, int from, int to, int start, int length)
    {
        for (var i = from; i < to; i++)
        {
            var d = results[i];
            if (d.Start < start + length && start < d.End)
            {
                return true;
            }
        }

        return false;
    }
}
