namespace Gatehouse.Storage.Governance;

/// <summary>Rate limits of one scope (<c>key:…</c>, <c>user:…</c>, <c>agent:…</c>, <c>team:…</c>, <c>org:…</c>, <c>model:…</c>).</summary>
public sealed record LimitRecord
{
    /// <summary>The scope, as <c>type:id</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>Requests per minute.</summary>
    public long? RequestsPerMinute { get; init; }

    /// <summary>Tokens (input plus output) per minute.</summary>
    public long? TokensPerMinute { get; init; }

    /// <summary>Requests under way at once.</summary>
    public long? MaxConcurrent { get; init; }
}
