using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Governance;

/// <summary>Holds the current <see cref="GovernanceDirectory"/> and reloads it from the store when the store changes.</summary>
public sealed class GovernanceState : IDisposable
{
    private readonly IGovernanceStore _store;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile GovernanceDirectory _current = GovernanceDirectory.Empty;

    /// <summary>Creates the holder over a store.</summary>
    public GovernanceState(IGovernanceStore store) => _store = store;

    /// <summary>The directory the hot path reads.</summary>
    public GovernanceDirectory Current => _current;

    /// <summary>The store behind the directory.</summary>
    public IGovernanceStore Store => _store;

    /// <inheritdoc />
    public void Dispose() => _reload.Dispose();

    /// <summary>
    /// Reloads after a change notification; a failure is left to the poll (<see cref="GovernanceRefresher"/>), which
    /// retries within 500 ms and reports store outages. Returns whether it reloaded.
    /// </summary>
    public async Task<bool> TryRefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RefreshAsync(force: false, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reloads when the store's change version moved (or always, when <paramref name="force"/>); returns whether it did.</summary>
    public async Task<bool> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            var version = await _store.ChangeVersionAsync(cancellationToken);
            if (!force && version == _current.Version)
            {
                return false;
            }

            var keys = await _store.ListKeysAsync(cancellationToken);
            var entities = await _store.ListEntitiesAsync(cancellationToken);
            var limits = await _store.ListLimitsAsync(cancellationToken);
            var budgets = await _store.ListBudgetsAsync(cancellationToken);
            _current = new GovernanceDirectory(version, keys, entities, limits, budgets);
            return true;
        }
        finally
        {
            _reload.Release();
        }
    }
}
