namespace Gatehouse.Governance.Policies;

/// <summary>What a matching statement does.</summary>
public enum PolicyEffect
{
    /// <summary>Allows the request unless a forbid also matches.</summary>
    Permit,

    /// <summary>Denies the request, overriding every permit.</summary>
    Forbid,
}
