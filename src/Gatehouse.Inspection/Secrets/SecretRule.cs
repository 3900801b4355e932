using System.Text.RegularExpressions;

namespace Gatehouse.Inspection.Secrets;

/// <summary>
/// One credential format: literal keywords that must occur in the text before the pattern is tried (the prefilter),
/// a pattern compiled with <see cref="RegexOptions.NonBacktracking"/> (linear time on any input, so it runs without a
/// match timeout, whose clock reads cost more than the search on a short window), and an optional
/// <c>secret</c> group that narrows the reported span to the credential itself. The pattern runs only on the window
/// around each keyword occurrence: from <see cref="LookBehind"/> characters before it to <see cref="Reach"/> after.
/// </summary>
public sealed class SecretRule
{
    /// <summary>Default <see cref="Reach"/>: longer than any token of the built-in catalog.</summary>
    public const int DefaultReach = 512;

    /// <summary>
    /// Creates a rule; <paramref name="keywords"/> are matched case-sensitively unless <paramref name="ignoreCase"/>.
    /// Every match must contain a keyword, start at most <paramref name="lookBehind"/> characters before it and end at
    /// most <paramref name="reach"/> characters after the keyword's start.
    /// </summary>
    public SecretRule(string id, string type, string[] keywords, string pattern, double confidence, bool ignoreCase = false, int lookBehind = 0, int reach = DefaultReach)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lookBehind);
        ArgumentOutOfRangeException.ThrowIfLessThan(reach, 1);
        LookBehind = lookBehind;
        Reach = reach;
        Id = id;
        Type = type;
        Keywords = keywords;
        IgnoreCaseKeywords = ignoreCase;
        Confidence = confidence;
        Pattern = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), Regex.InfiniteMatchTimeout);
        HasSecretGroup = Pattern.GroupNumberFromName("secret") >= 0;
    }

    /// <summary>Stable rule id, e.g. <c>github-pat</c>.</summary>
    public string Id { get; }

    /// <summary>The credential type reported in <see cref="Detection.Type"/>.</summary>
    public string Type { get; }

    /// <summary>Literals of which at least one must occur for the pattern to be tried.</summary>
    public IReadOnlyList<string> Keywords { get; }

    /// <summary>True when keywords and pattern ignore case (context words like <c>aws</c>); false for exact token prefixes.</summary>
    public bool IgnoreCaseKeywords { get; }

    /// <summary>The compiled pattern.</summary>
    public Regex Pattern { get; }

    /// <summary>True when the pattern has a <c>secret</c> group that marks the span to report.</summary>
    public bool HasSecretGroup { get; }

    /// <summary>How far before the start of a keyword a match can begin (0 when matches start with the keyword).</summary>
    public int LookBehind { get; }

    /// <summary>How far after the start of a keyword a match can end.</summary>
    public int Reach { get; }

    /// <summary>An extra check of a match in code (for example, key material after a PEM header); null accepts every match.</summary>
    public SecretValidator? Validator { get; init; }

    /// <summary>Confidence of a match.</summary>
    public double Confidence { get; }
}
