namespace Gatehouse.Server.Config;

/// <summary>One guardrail as configured: a detector with its parameters, where it applies, and what happens on a violation.</summary>
public sealed class GuardrailConfig
{
    /// <summary>The guardrail's name, used in errors, headers, logs and metrics.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>pii, secrets, prompt_injection, content, json_schema, tool_policy, webhook or llm_judge.</summary>
    public string Detector { get; set; } = string.Empty;

    /// <summary>Where it applies: input, output, tool_calls, tool_results.</summary>
    public List<string> ApplyTo { get; set; } = [];

    /// <summary>Requested model names (globs) it applies to; empty means every model.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Team ids it applies to; empty means every caller.</summary>
    public List<string> Teams { get; set; } = [];

    /// <summary>Key ids it applies to; empty means every caller.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>block, redact, flag or route.</summary>
    public string Action { get; set; } = "block";

    /// <summary>How long an external detector may take; null uses the default.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>True for <c>on_error: open</c> (allow and record not_scanned); false blocks when the check cannot run.</summary>
    public bool FailOpen { get; set; } = true;

    /// <summary>For <c>action: route</c>: the model name to serve the request instead.</summary>
    public string? RouteTo { get; set; }

    /// <summary>Characters a streamed answer is held back for this guardrail (64–4096).</summary>
    public int StreamWindow { get; set; } = 128;

    /// <summary>
    /// json_schema, webhook and llm_judge on a streamed answer: the most characters of answer text kept for the check at
    /// the end of the stream (1,024–16,777,216); a longer answer is recorded not_scanned (or refused when failing closed).
    /// </summary>
    public int StreamMaxChars { get; set; } = DefaultStreamMaxChars;

    /// <summary>The default of <see cref="StreamMaxChars"/>: 262,144 characters.</summary>
    public const int DefaultStreamMaxChars = 256 * 1024;

    /// <summary>pii: the built-in types to detect; empty means all.</summary>
    public List<string> Types { get; set; } = [];

    /// <summary>pii: custom dictionary term → type.</summary>
    public Dictionary<string, string> Dictionary { get; set; } = [];

    /// <summary>pii and secrets: findings below this confidence are ignored.</summary>
    public double MinConfidence { get; set; } = 0.5;

    /// <summary>content: banned words and phrases.</summary>
    public List<string> Banned { get; set; } = [];

    /// <summary>content: forbidden regexes.</summary>
    public List<string> Patterns { get; set; } = [];

    /// <summary>content: the largest text allowed, in characters.</summary>
    public int? MaxChars { get; set; }

    /// <summary>prompt_injection: a score threshold replacing the model's own.</summary>
    public double? Threshold { get; set; }

    /// <summary>json_schema: the schema as JSON text; null validates against the request's own json_schema.</summary>
    public string? Schema { get; set; }

    /// <summary>tool_policy: allowed tool-name globs.</summary>
    public List<string> Allowed { get; set; } = [];

    /// <summary>tool_policy: denied tool-name globs.</summary>
    public List<string> Denied { get; set; } = [];

    /// <summary>tool_policy: per-argument constraints.</summary>
    public List<ToolArgumentConfig> Arguments { get; set; } = [];

    /// <summary>webhook: the URL that receives the content and answers with a verdict.</summary>
    public string? Url { get; set; }

    /// <summary>webhook: extra headers sent with each call (for example an authorization token).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>webhook: how long a verdict is reused for the same content; zero disables the cache.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>llm_judge: the configured model that judges.</summary>
    public string? Model { get; set; }

    /// <summary>llm_judge: the policy prompt; null uses the built-in Llama-Guard-style prompt.</summary>
    public string? Policy { get; set; }

    /// <summary>llm_judge: category code → description (S1: Violent crimes); empty uses the built-in list.</summary>
    public Dictionary<string, string> Categories { get; set; } = [];

    /// <summary>The line in the config file, for messages.</summary>
    public int Line { get; set; }
}
