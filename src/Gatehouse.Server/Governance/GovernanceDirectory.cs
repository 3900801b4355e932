using System.Collections.Concurrent;
using Gatehouse.Governance.Budgets;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Governance;

/// <summary>
/// An immutable in-memory copy of the governance data the hot path reads (keys, hierarchy, limits, budgets), swapped
/// whole when anything changes, so identify and admit never wait for the database.
/// </summary>
public sealed class GovernanceDirectory
{
    private readonly Dictionary<string, ApiKeyRecord> _keys;
    private readonly Dictionary<(EntityKind, string), DirectoryEntity> _entities;
    private readonly Dictionary<string, LimitRecord> _limits;
    private readonly Dictionary<string, List<BudgetLimit>> _budgets;
    private readonly ConcurrentDictionary<string, Principal> _principals = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Provider, string? Team), string?> _apiKeys;

    /// <summary>Builds the directory from store contents.</summary>
    public GovernanceDirectory(
        long version,
        IReadOnlyList<ApiKeyRecord> keys,
        IReadOnlyList<DirectoryEntity> entities,
        IReadOnlyList<LimitRecord> limits,
        IReadOnlyList<BudgetLimit> budgets,
        IReadOnlyList<(string Name, string Text)>? policyDocuments = null,
        IReadOnlyList<CredentialRecord>? credentials = null,
        IReadOnlyDictionary<string, string?>? openedCredentials = null)
    {
        PolicyDocuments = policyDocuments ?? [];
        Credentials = credentials ?? [];
        _apiKeys = [];
        foreach (var credential in Credentials)
        {
            _apiKeys[(credential.Provider, credential.TeamId)] = openedCredentials?.GetValueOrDefault(credential.Name);
        }

        Version = version;
        Keys = keys;
        Entities = entities;
        Limits = limits;
        Budgets = budgets;
        _keys = keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
        _entities = entities.ToDictionary(e => (e.Kind, e.Id));
        _limits = limits.ToDictionary(l => l.Scope, StringComparer.Ordinal);
        _budgets = [];
        foreach (var budget in budgets)
        {
            if (!_budgets.TryGetValue(budget.Scope, out var list))
            {
                _budgets[budget.Scope] = list = [];
            }

            list.Add(budget);
        }

        foreach (var key in keys)
        {
            HasKeys |= key.RevokedAt is null;
        }

        HasAnyKey = keys.Count > 0;
    }

    /// <summary>An empty directory.</summary>
    public static GovernanceDirectory Empty { get; } = new(-1, [], [], [], []);

    /// <summary>The store's change version this copy reflects.</summary>
    public long Version { get; }

    /// <summary>Whether any key that is not revoked exists.</summary>
    public bool HasKeys { get; }

    /// <summary>Whether any key was ever created (a revoked-only install is not open again).</summary>
    public bool HasAnyKey { get; }

    /// <summary>Policy documents stored through the admin API, as (name, YAML text).</summary>
    public IReadOnlyList<(string Name, string Text)> PolicyDocuments { get; }

    /// <summary>Vault credentials (sealed).</summary>
    public IReadOnlyList<CredentialRecord> Credentials { get; }

    /// <summary>
    /// The vault key for calls to <paramref name="provider"/> by <paramref name="teamId"/>: the team's own key first,
    /// then the provider's vault key for everyone. Found = false when the vault has none (the configured key applies);
    /// a found null means the credential exists but cannot be opened (wrong or missing master key).
    /// </summary>
    public (bool Found, string? Key) ApiKeyFor(string provider, string? teamId)
    {
        if (_apiKeys.Count == 0)
        {
            return (false, null);
        }

        if (teamId is not null && _apiKeys.TryGetValue((provider, teamId), out var own))
        {
            return (true, own);
        }

        return _apiKeys.TryGetValue((provider, null), out var shared) ? (true, shared) : (false, null);
    }

    /// <summary>All keys.</summary>
    public IReadOnlyList<ApiKeyRecord> Keys { get; }

    /// <summary>All organizations, teams, users and agents.</summary>
    public IReadOnlyList<DirectoryEntity> Entities { get; }

    /// <summary>All rate-limit records.</summary>
    public IReadOnlyList<LimitRecord> Limits { get; }

    /// <summary>All budgets.</summary>
    public IReadOnlyList<BudgetLimit> Budgets { get; }

    /// <summary>The key with this prefix.</summary>
    public ApiKeyRecord? Key(string prefix) => _keys.GetValueOrDefault(prefix);

    /// <summary>The principal a key identifies, built once per directory version.</summary>
    public Principal PrincipalOf(ApiKeyRecord key) => _principals.GetOrAdd(key.Id, static (_, state) => CallerIdentifier.ForKey(state.Key, state.Directory), (Key: key, Directory: this));

    /// <summary>The entity of this kind and id.</summary>
    public DirectoryEntity? Entity(EntityKind kind, string? id) => id is null ? null : _entities.GetValueOrDefault((kind, id));

    /// <summary>The rate limits of a scope.</summary>
    public LimitRecord? LimitOf(string scope) => _limits.GetValueOrDefault(scope);

    /// <summary>The budgets of a scope.</summary>
    public IReadOnlyList<BudgetLimit> BudgetsOf(string scope) => _budgets.TryGetValue(scope, out var list) ? list : [];
}
