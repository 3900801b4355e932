namespace Gatehouse.Inspection.Injection;

/// <summary>The <see cref="LabelledText.Kind"/> values of the tuning dataset.</summary>
public static class InjectionKinds
{
    /// <summary>Role-play and "do anything now" jailbreak prompts (attack).</summary>
    public const string Jailbreak = "jailbreak";

    /// <summary>Direct prompt injection in user input (attack).</summary>
    public const string Injection = "injection";

    /// <summary>An attack hidden inside a document or tool result (attack).</summary>
    public const string Indirect = "indirect";

    /// <summary>Ordinary user prompts (benign).</summary>
    public const string Benign = "benign";

    /// <summary>Ordinary documents, emails, tables and code (benign).</summary>
    public const string BenignDocument = "benign-doc";

    /// <summary>Security-flavoured but benign requests (benign).</summary>
    public const string BenignHard = "benign-hard";

    /// <summary>Long requests with pasted documentation and code (benign; eval/benign-long.jsonl, eval/injection-long-train.jsonl).</summary>
    public const string BenignLong = "benign-long";

    /// <summary>A direct attack inside a long request with pasted documentation and code (attack; evaluation only).</summary>
    public const string AttackLong = "attack-long";
}
