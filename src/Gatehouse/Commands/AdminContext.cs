using Gatehouse.Governance.Budgets;
using Gatehouse.Server.Admin;
using Gatehouse.Server.Config;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Runtime;
using Gatehouse.Storage;
using Gatehouse.Storage.Audit;

namespace Gatehouse.Host.Commands;

/// <summary>The admin operations the CLI runs directly on the store the configuration names (a running gateway notices within a second).</summary>
public sealed class AdminContext : IDisposable
{
    private readonly HandlerCache _handlers;

    private AdminContext(
        GovernanceState state,
        KeyAdministration keys,
        DirectoryAdministration directory,
        SpendAdministration spend,
        AuditAdministration audit,
        PolicyAdministration policies,
        CredentialAdministration credentials,
        GatewaySnapshot snapshot,
        HandlerCache handlers)
    {
        Credentials = credentials;
        Policies = policies;
        Snapshot = snapshot;
        _handlers = handlers;
        State = state;
        Keys = keys;
        Directory = directory;
        Spend = spend;
        Audit = audit;
    }

    /// <summary>The loaded governance data.</summary>
    public GovernanceState State { get; }

    /// <summary>Key operations.</summary>
    public KeyAdministration Keys { get; }

    /// <summary>Hierarchy operations.</summary>
    public DirectoryAdministration Directory { get; }

    /// <summary>Limit and budget operations.</summary>
    public SpendAdministration Spend { get; }

    /// <summary>Audit operations.</summary>
    public AuditAdministration Audit { get; }

    /// <summary>Vault credential operations.</summary>
    public CredentialAdministration Credentials { get; }

    /// <summary>Policy operations.</summary>
    public PolicyAdministration Policies { get; }

    /// <summary>The compiled configuration (for its policy files and models).</summary>
    public GatewaySnapshot Snapshot { get; }

    /// <summary>Combines the configured and stored policies.</summary>
    public PolicyEvaluator Evaluator { get; } = new(Microsoft.Extensions.Logging.Abstractions.NullLogger<PolicyEvaluator>.Instance);

    /// <summary>Opens the store named by <c>--config</c> (or the built-in default).</summary>
    public static async Task<AdminContext> OpenAsync(Arguments args)
    {
        var config = args.Get("config") is { } path ? new ConfigLoader().LoadFile(path) : DefaultConfig.Create();
        var stores = StoreSet.Open(config.Storage.Url);
        var store = stores.Governance;
        var auditStore = stores.Audit;
        await stores.InitializeAsync(CancellationToken.None);
        var state = new GovernanceState(store, VaultKeys.Create(null));
        await state.RefreshAsync(force: true, CancellationToken.None);
        var time = TimeProvider.System;
        var audit = new StoreAuditAppender(auditStore);
        var budgets = new InProcessBudgetCounter(time);
        foreach (var (account, nanoUsd, tokens) in await store.ListSpendAsync(CancellationToken.None))
        {
            budgets.Seed(account, nanoUsd, tokens);
        }

        var handlers = new HandlerCache(time);
        return new AdminContext(
            state,
            new KeyAdministration(state, audit, time),
            new DirectoryAdministration(state, audit, time),
            new SpendAdministration(state, audit, time, budgets),
            new AuditAdministration(auditStore),
            new PolicyAdministration(state, audit, time),
            new CredentialAdministration(state, audit, time),
            new SnapshotCompiler(handlers).Compile(config),
            handlers);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        State.Dispose();
        _handlers.Dispose();
    }
}
