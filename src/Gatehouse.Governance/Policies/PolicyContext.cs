namespace Gatehouse.Governance.Policies;

/// <summary>Facts about the request that conditions can read as <c>context.*</c>.</summary>
public sealed class PolicyContext
{
    private static readonly Dictionary<string, string> NoVerdicts = [];

    /// <summary>When the request arrived (from the gateway's <see cref="TimeProvider"/>); gives <c>context.time</c>, <c>hour</c> and <c>day_of_week</c>.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The client's IP address, when known.</summary>
    public string? SourceIp { get; init; }

    /// <summary>Estimated prompt plus maximum completion tokens, when estimated.</summary>
    public long? EstimatedTokens { get; init; }

    /// <summary>Request tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Whether the request offers tools to the model.</summary>
    public bool HasTools { get; init; }

    /// <summary>Whether the request carries images.</summary>
    public bool HasImages { get; init; }

    /// <summary>Whether the client asked for a streamed answer.</summary>
    public bool Stream { get; init; }

    /// <summary>Input guardrail verdicts by guardrail name (for example <c>pii: "redacted"</c>).</summary>
    public IReadOnlyDictionary<string, string> Guardrails { get; init; } = NoVerdicts;

    /// <summary>The agent session id, when the client sent one.</summary>
    public string? SessionId { get; init; }
}
