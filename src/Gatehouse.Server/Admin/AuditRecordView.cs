namespace Gatehouse.Server.Admin;

/// <summary>An audit record as the admin API and <c>gatehouse audit export</c> show it.</summary>
public sealed class AuditRecordView
{
    /// <summary>Position in the chain, from 1.</summary>
    public long Seq { get; init; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>Who.</summary>
    public required string Actor { get; init; }

    /// <summary>What.</summary>
    public required string Action { get; init; }

    /// <summary>On what.</summary>
    public required string Target { get; init; }

    /// <summary>ok, denied, rate_limited, budget_exceeded.</summary>
    public required string Outcome { get; init; }

    /// <summary>Why.</summary>
    public string? Reason { get; init; }

    /// <summary>Request id.</summary>
    public string? RequestId { get; init; }

    /// <summary>Caller address.</summary>
    public string? SourceIp { get; init; }

    /// <summary>Detail JSON.</summary>
    public string? Details { get; init; }

    /// <summary>Previous record's hash (hex).</summary>
    public required string PrevHash { get; init; }

    /// <summary>This record's hash (hex).</summary>
    public required string Hash { get; init; }
}
