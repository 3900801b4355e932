namespace Gatehouse.Server.Admin;

/// <summary>The body that sets the rate limits of a scope.</summary>
public sealed class LimitRequest
{
    /// <summary><c>key:ID</c>, <c>user:ID</c>, <c>agent:ID</c>, <c>team:ID</c>, <c>org:ID</c> or <c>model:NAME</c> (per caller).</summary>
    public string? Scope { get; set; }

    /// <summary>Requests per minute.</summary>
    public long? Rpm { get; set; }

    /// <summary>Tokens per minute.</summary>
    public long? Tpm { get; set; }

    /// <summary>Concurrent requests.</summary>
    public long? MaxConcurrent { get; set; }
}
