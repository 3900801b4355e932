using Gatehouse.Inspection.Text;

namespace Gatehouse.Inspection.Secrets;

/// <summary>
/// Finds credentials: the rules of <see cref="SecretRuleCatalog"/> (or your own), each tried only when one of its
/// keywords occurs, plus a generic detector for high-entropy values assigned to words like <c>password</c>,
/// <c>secret</c>, <c>token</c> or <c>api_key</c>. Scans the original text, so spans need no mapping.
/// </summary>
public sealed class SecretsDetector : ITextDetector
{
    /// <summary>Rule id of the entropy-based generic detector.</summary>
    public const string GenericRuleId = "generic-high-entropy";

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
        Span<bool> active = _rules.Length < 512 ? stackalloc bool[_rules.Length + 1] : new bool[_rules.Length + 1];
        _prefilter.Mark(text, active);
        var firstSpecific = results.Count;
        string? textString = null;
        for (var i = 0; i < _rules.Length; i++)
        {
            if (!active[i])
            {
                continue;
            }

            var rule = _rules[i];
            if (!rule.HasSecretGroup)
            {
                foreach (var match in rule.Pattern.EnumerateMatches(text))
                {
                    results.Add(new Detection(DetectorNames.Secrets, rule.Type, match.Index, match.Length, rule.Confidence, rule.Id));
                }

                continue;
            }

            textString ??= text.ToString();
            for (var match = rule.Pattern.Match(textString); match.Success; match = match.NextMatch())
            {
                var secret = match.Groups["secret"];
                if (secret.Success && !SecretValues.IsPlaceholder(secret.ValueSpan))
                {
                    results.Add(new Detection(DetectorNames.Secrets, rule.Type, secret.Index, secret.Length, rule.Confidence, rule.Id));
                }
            }
        }

        if (_generic && active[_rules.Length])
        {
            DetectGeneric(text, results, firstSpecific);
        }
    }

    private static void DetectGeneric(ReadOnlySpan<char> text, List<Detection> results, int firstSpecific)
    {
        var specificEnd = results.Count;
        var textString = text.ToString();
        for (var match = GenericSecretPattern.Assignment().Match(textString); match.Success; match = match.NextMatch())
        {
            var secret = match.Groups["secret"];
            var value = secret.ValueSpan.TrimEnd(".,;)]}\"'");
            var keyword = match.ValueSpan[..3];
            var confidence = GenericConfidence(value, keyword.StartsWith("pas", StringComparison.OrdinalIgnoreCase) || keyword.StartsWith("pwd", StringComparison.OrdinalIgnoreCase));
            if (confidence > 0 && !Overlaps(results, firstSpecific, specificEnd, secret.Index, value.Length))
            {
                results.Add(new Detection(DetectorNames.Secrets, "generic_secret", secret.Index, value.Length, confidence, GenericRuleId));
            }
        }
    }

    /// <summary>Confidence that <paramref name="value"/> is a real secret: high entropy for its alphabet, mixed characters, not a placeholder; 0 if not.</summary>
    public static double GenericConfidence(ReadOnlySpan<char> value, bool isPassword)
    {
        if (value.Length < 8 || SecretValues.IsPlaceholder(value))
        {
            return 0;
        }

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
