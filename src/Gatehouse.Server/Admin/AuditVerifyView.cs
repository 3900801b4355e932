namespace Gatehouse.Server.Admin;

/// <summary>The answer of an audit-chain check.</summary>
public sealed class AuditVerifyView
{
    /// <summary>Whether the chain is intact.</summary>
    public bool Intact { get; init; }

    /// <summary>Records checked.</summary>
    public long Checked { get; init; }

    /// <summary>The first record that fails, when broken.</summary>
    public long? BrokenAt { get; init; }

    /// <summary>What is wrong with it.</summary>
    public string? Problem { get; init; }

    /// <summary>Hash of the last record (hex), when intact.</summary>
    public string? HeadHash { get; init; }
}
