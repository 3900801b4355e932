using Gatehouse.Inspection.Anomaly;

namespace Gatehouse.Server.Config;

/// <summary>The <c>governance.anomaly</c> section: per-identity traffic baselines and what to do on a deviation.</summary>
public sealed class AnomalyConfig
{
    /// <summary>The actions accepted in configuration.</summary>
    public static IReadOnlyList<string> Actions { get; } = ["record", "alert", "throttle", "suspend"];

    /// <summary>Whether detection runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>record</c> (log, metric, audit, admin API), <c>alert</c> (also a webhook), <c>throttle</c> (429 for <see cref="ThrottleFor"/>) or <c>suspend</c> (revoke the key).</summary>
    public string Action { get; set; } = "record";

    /// <summary>Where <c>alert</c> POSTs.</summary>
    public Uri? Webhook { get; set; }

    /// <summary>How long <c>throttle</c> holds an identity.</summary>
    public TimeSpan ThrottleFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The detector's tuning.</summary>
    public AnomalyOptions Options { get; set; } = new();
}
