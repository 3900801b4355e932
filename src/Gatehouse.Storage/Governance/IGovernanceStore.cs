using Gatehouse.Governance.Budgets;

namespace Gatehouse.Storage.Governance;

/// <summary>Durable governance data: the hierarchy, keys, limits, budgets and budget spend.</summary>
public interface IGovernanceStore
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Adds an organization, team, user or agent; false when the id is taken.</summary>
    Task<bool> AddEntityAsync(DirectoryEntity entity, CancellationToken cancellationToken);

    /// <summary>Deletes an entity; false when absent.</summary>
    Task<bool> DeleteEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken);

    /// <summary>All organizations, teams, users and agents.</summary>
    Task<IReadOnlyList<DirectoryEntity>> ListEntitiesAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new key.</summary>
    Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>All keys, revoked ones included.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken);

    /// <summary>Marks a key revoked; false when absent or already revoked.</summary>
    Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Sets (replaces) the rate limits of a scope; all-null limits remove it.</summary>
    Task SetLimitAsync(LimitRecord limit, CancellationToken cancellationToken);

    /// <summary>All rate-limit records.</summary>
    Task<IReadOnlyList<LimitRecord>> ListLimitsAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces a budget.</summary>
    Task SetBudgetAsync(BudgetLimit budget, CancellationToken cancellationToken);

    /// <summary>Deletes a budget; false when absent.</summary>
    Task<bool> DeleteBudgetAsync(string id, CancellationToken cancellationToken);

    /// <summary>All budgets.</summary>
    Task<IReadOnlyList<BudgetLimit>> ListBudgetsAsync(CancellationToken cancellationToken);

    /// <summary>Adds settled spend to budget window accounts.</summary>
    Task AddSpendAsync(IReadOnlyList<(string Account, long NanoUsd, long Tokens)> spend, CancellationToken cancellationToken);

    /// <summary>Recorded spend of every account.</summary>
    Task<IReadOnlyList<(string Account, long NanoUsd, long Tokens)>> ListSpendAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces a stored policy document (YAML text, validated by the caller).</summary>
    Task SetPolicyDocumentAsync(string name, string text, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Deletes a stored policy document; false when absent.</summary>
    Task<bool> DeletePolicyDocumentAsync(string name, CancellationToken cancellationToken);

    /// <summary>All stored policy documents as (name, text).</summary>
    Task<IReadOnlyList<(string Name, string Text)>> ListPolicyDocumentsAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces a vault credential.</summary>
    Task SetCredentialAsync(CredentialRecord credential, CancellationToken cancellationToken);

    /// <summary>Deletes a vault credential; false when absent.</summary>
    Task<bool> DeleteCredentialAsync(string name, CancellationToken cancellationToken);

    /// <summary>All vault credentials (sealed).</summary>
    Task<IReadOnlyList<CredentialRecord>> ListCredentialsAsync(CancellationToken cancellationToken);

    /// <summary>A number that changes whenever keys, entities, limits or budgets change (for replicas to notice).</summary>
    Task<long> ChangeVersionAsync(CancellationToken cancellationToken);
}
