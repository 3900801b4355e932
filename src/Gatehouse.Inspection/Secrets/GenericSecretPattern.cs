using System.Text.RegularExpressions;

namespace Gatehouse.Inspection.Secrets;

/// <summary>The keyword-and-assignment pattern behind the entropy-based generic secret detector.</summary>
internal static partial class GenericSecretPattern
{
    /// <summary>Context words that must occur before the generic pattern is tried.</summary>
    internal static readonly string[] Keywords =
    [
        "pass", "pwd", "secret", "token", "api_key", "apikey", "api-key", "access_key", "access-key", "auth", "credential", "private_key", "client_secret", "key",
    ];

    // No match timeout: every part before the last is bounded and the greedy last group ends the match as soon as it
    // has 8 characters, so a start position costs a few hundred steps at most, and the clock reads of a timeout
    // would cost more than the search on the short windows it runs on.
    [GeneratedRegex(@"(?:passw(?:or)?d|pass|pwd|secret|token|api[_-]?key|access[_-]?key|auth(?:orization)?|credentials?|private[_-]?key|client[_-]?secret|signing[_-]?key|encryption[_-]?key)[\w.-]{0,20}[""']?\s{0,3}(?:=|:|:=|=>)\s{0,3}(?:bearer\s+)?[""']?(?<secret>[A-Za-z0-9+/=_~!@#$%^&*.\-]{8,256})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout.Infinite)]
    internal static partial Regex Assignment();
}
