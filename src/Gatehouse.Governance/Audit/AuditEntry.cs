namespace Gatehouse.Governance.Audit;

/// <summary>Something that happened and must be accountable: an admin change, a denial, a sensitive key use.</summary>
public sealed record AuditEntry
{
    /// <summary>When it happened.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Who did it, as <c>type:id</c> (for example <c>key:ab12cd34ef56</c>, <c>cli:root</c>).</summary>
    public required string Actor { get; init; }

    /// <summary>What was done (for example <c>keys.create</c>, <c>invoke_model</c>).</summary>
    public required string Action { get; init; }

    /// <summary>What it was done to (for example <c>key:…</c>, <c>model:openai/gpt-4o</c>).</summary>
    public required string Target { get; init; }

    /// <summary><c>allowed</c>, <c>denied</c>, <c>rejected</c> or <c>ok</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Why, for denials and rejections.</summary>
    public string? Reason { get; init; }

    /// <summary>The request id, when the entry belongs to a request.</summary>
    public string? RequestId { get; init; }

    /// <summary>The caller's address.</summary>
    public string? SourceIp { get; init; }

    /// <summary>Further detail as a JSON object (never secrets).</summary>
    public string? Details { get; init; }
}
