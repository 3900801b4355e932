namespace Gatehouse.Inspection;

/// <summary>What a check concluded, before the gateway maps it to an action (block, redact, flag, route).</summary>
public enum VerdictOutcome
{
    /// <summary>Nothing found that the check cares about.</summary>
    Pass,

    /// <summary>The check found a violation; <see cref="Verdict.Reason"/> says which.</summary>
    Violation,

    /// <summary>The check could not run (bad input, timeout); never to be read as passed.</summary>
    NotScanned,
}
