using Gatehouse.Core;

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

    /// <summary>
    /// This entry as every store can keep it: a NUL in its text (PostgreSQL refuses one) becomes U+FFFD
    /// (<see cref="StoredText"/>). Stores apply it before hashing, so the chain covers what was stored; entries read
    /// back are not changed, so older records verify as they were written.
    /// </summary>
    public AuditEntry Storable() =>
        HasNul(Actor) || HasNul(Action) || HasNul(Target) || HasNul(Outcome) || HasNul(Reason) || HasNul(RequestId) || HasNul(SourceIp) || HasNul(Details)
            ? this with
            {
                Actor = StoredText.Of(Actor),
                Action = StoredText.Of(Action),
                Target = StoredText.Of(Target),
                Outcome = StoredText.Of(Outcome),
                Reason = StoredText.OfNullable(Reason),
                RequestId = StoredText.OfNullable(RequestId),
                SourceIp = StoredText.OfNullable(SourceIp),
                Details = StoredText.OfNullable(Details),
            }
            : this;

    private static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);
}
