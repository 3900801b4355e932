namespace Gatehouse.Server.Inspection;

/// <summary>What a guardrail did to one stage of one request, as recorded in headers, logs and metrics. Ordered by how much it must be seen.</summary>
public enum GuardrailOutcome
{
    /// <summary>Scanned, nothing found.</summary>
    Pass,

    /// <summary>A violation was found and recorded; the request continued.</summary>
    Flagged,

    /// <summary>Findings were replaced by placeholders.</summary>
    Redacted,

    /// <summary>The request was served by the guardrail's route_to model.</summary>
    Routed,

    /// <summary>The check could not run (timeout, error, unsupported on streams) and the guardrail fails open. Never a pass.</summary>
    NotScanned,

    /// <summary>The check could not run and the guardrail fails closed: the request was refused.</summary>
    FailedClosed,

    /// <summary>A violation refused the request or ended the stream.</summary>
    Blocked,
}
