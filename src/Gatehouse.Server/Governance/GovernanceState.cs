using System.Security.Cryptography;
using Gatehouse.Governance.Vault;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Governance;

/// <summary>Holds the current <see cref="GovernanceDirectory"/> and reloads it from the store when the store changes.</summary>
public sealed class GovernanceState : IDisposable
{
    private readonly IGovernanceStore _store;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile GovernanceDirectory _current = GovernanceDirectory.Empty;

    private readonly SecretVault? _vault;

    /// <summary>Creates the holder over a store; <paramref name="vault"/> opens stored provider credentials.</summary>
    public GovernanceState(IGovernanceStore store, SecretVault? vault = null)
    {
        _store = store;
        _vault = vault;
    }

    /// <summary>The vault, when a master key is configured.</summary>
    public SecretVault? Vault => _vault;

    /// <summary>The directory the hot path reads.</summary>
    public GovernanceDirectory Current => _current;

    /// <summary>The store behind the directory.</summary>
    public IGovernanceStore Store => _store;

    /// <inheritdoc />
    public void Dispose() => _reload.Dispose();

    private Dictionary<string, string?> Open(IReadOnlyList<CredentialRecord> credentials)
    {
        var opened = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var credential in credentials)
        {
            try
            {
                opened[credential.Name] = _vault?.Open(CredentialAssociatedData(credential.Name), credential.Sealed);
            }
            catch (CryptographicException)
            {
                // Sealed under a key this replica does not have, or altered: unusable, never a silent fallback.
                opened[credential.Name] = null;
            }
        }

        return opened;
    }

    /// <summary>The associated data a credential is sealed with: its record id.</summary>
    public static string CredentialAssociatedData(string name) => string.Concat("credential:", name);

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
            var policies = await _store.ListPolicyDocumentsAsync(cancellationToken);
            var credentials = await _store.ListCredentialsAsync(cancellationToken);
            _current = new GovernanceDirectory(version, keys, entities, limits, budgets, policies, credentials, Open(credentials));
            return true;
        }
        finally
        {
            _reload.Release();
        }
    }
}
