namespace Gatehouse.Server.Admin;

/// <summary>A flagged traffic anomaly as the admin API shows it.</summary>
public sealed class AnomalyView
{
    /// <summary>Whose traffic (<c>key:…</c>, <c>agent:…</c>, <c>team:…</c>).</summary>
    public required string Identity { get; init; }

    /// <summary>Which signal deviated.</summary>
    public required string Signal { get; init; }

    /// <summary>Robust deviations above the baseline.</summary>
    public double Score { get; init; }

    /// <summary>What was seen.</summary>
    public required string Reason { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; init; }
}
