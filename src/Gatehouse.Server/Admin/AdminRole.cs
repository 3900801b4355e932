namespace Gatehouse.Server.Admin;

/// <summary>What an admin caller may do.</summary>
public enum AdminRole
{
    /// <summary>Everything.</summary>
    Admin,

    /// <summary>Manage keys, users, agents, limits and budgets of its own team only.</summary>
    TeamAdmin,

    /// <summary>Read everything, change nothing.</summary>
    Auditor,
}
