namespace Gatehouse.Governance.Policies;

/// <summary>The fixed set of actions a policy can permit or forbid.</summary>
public static class PolicyActions
{
    /// <summary>Call a chat, messages or completion model.</summary>
    public const string InvokeModel = "invoke_model";

    /// <summary>Call an embeddings model.</summary>
    public const string UseEmbeddings = "use_embeddings";

    /// <summary>Call a tool on an MCP server through the gateway.</summary>
    public const string CallTool = "call_tool";

    /// <summary>List the tools of an MCP server.</summary>
    public const string ListTools = "list_tools";

    /// <summary>Create a virtual key.</summary>
    public const string AdminKeysCreate = "admin:keys.create";

    /// <summary>Revoke a virtual key.</summary>
    public const string AdminKeysRevoke = "admin:keys.revoke";

    /// <summary>List or read virtual keys (never their secrets).</summary>
    public const string AdminKeysRead = "admin:keys.read";

    /// <summary>Create, change or delete teams, users and agents.</summary>
    public const string AdminTeamsWrite = "admin:teams.write";

    /// <summary>Read teams, users and agents.</summary>
    public const string AdminTeamsRead = "admin:teams.read";

    /// <summary>Set or change budgets.</summary>
    public const string AdminBudgetsWrite = "admin:budgets.write";

    /// <summary>Read budgets and spend.</summary>
    public const string AdminBudgetsRead = "admin:budgets.read";

    /// <summary>Set or change rate limits.</summary>
    public const string AdminLimitsWrite = "admin:limits.write";

    /// <summary>Add, change or delete policies.</summary>
    public const string AdminPoliciesWrite = "admin:policies.write";

    /// <summary>Read policies and test decisions.</summary>
    public const string AdminPoliciesRead = "admin:policies.read";

    /// <summary>Store, rotate or delete provider credentials.</summary>
    public const string AdminCredentialsWrite = "admin:credentials.write";

    /// <summary>Read and export the audit trail.</summary>
    public const string AdminAuditRead = "admin:audit.read";

    /// <summary>Read request logs.</summary>
    public const string AdminLogsRead = "admin:logs.read";

    /// <summary>Read the gateway configuration, providers and models.</summary>
    public const string AdminConfigRead = "admin:config.read";

    /// <summary>The prefix shared by every admin action; <c>admin:*</c> in a policy means all of them.</summary>
    public const string AdminPrefix = "admin:";

    /// <summary>Every known action, data-plane first.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        InvokeModel, UseEmbeddings, CallTool, ListTools,
        AdminKeysCreate, AdminKeysRevoke, AdminKeysRead, AdminTeamsWrite, AdminTeamsRead,
        AdminBudgetsWrite, AdminBudgetsRead, AdminLimitsWrite, AdminPoliciesWrite, AdminPoliciesRead,
        AdminCredentialsWrite, AdminAuditRead, AdminLogsRead, AdminConfigRead,
    ];

    /// <summary>Whether <paramref name="action"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string action)
    {
        foreach (var known in All)
        {
            if (string.Equals(known, action, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
