namespace Gatehouse.Inspection;

/// <summary>The names detectors put into <see cref="Detection.Detector"/>, stable for config and logs.</summary>
public static class DetectorNames
{
    /// <summary>Personal data: emails, phones, cards, SSNs, IBANs, IPs, dates of birth, custom terms.</summary>
    public const string Pii = "pii";

    /// <summary>Credentials: provider tokens, private keys, database URLs, high-entropy values in context.</summary>
    public const string Secrets = "secrets";

    /// <summary>Prompt injection and jailbreak attempts.</summary>
    public const string PromptInjection = "prompt_injection";

    /// <summary>Banned words, custom regexes and size limits.</summary>
    public const string ContentPolicy = "content_policy";

    /// <summary>JSON Schema validation of structured output.</summary>
    public const string StructuredOutput = "structured_output";

    /// <summary>Allowed tools and argument constraints.</summary>
    public const string ToolPolicy = "tool_policy";
}
