namespace Gatehouse.Inspection.Content;

/// <summary>A content policy: banned words and phrases, custom regexes, a maximum size.</summary>
public sealed record ContentPolicyOptions
{
    /// <summary>Words and phrases matched case- and accent-insensitively on word boundaries (also through fullwidth and lookalike letters).</summary>
    public IReadOnlyList<string> BannedPhrases { get; init; } = [];

    /// <summary>Regexes (compiled NonBacktracking, case-insensitive) matched on the original text.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>Largest text allowed, in characters; null for no limit.</summary>
    public int? MaxCharacters { get; init; }
}
