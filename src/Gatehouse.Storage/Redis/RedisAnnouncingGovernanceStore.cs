using Gatehouse.Governance.Budgets;
using Gatehouse.Storage.Governance;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// A governance store that, after every change it commits, publishes on the Redis changes channel so every replica
/// reloads at once (besides PostgreSQL's NOTIFY and the version poll). Publishing is best effort: a replica that
/// misses it still sees the change through the other two paths.
/// </summary>
public sealed class RedisAnnouncingGovernanceStore : IGovernanceStore
{
    private readonly IGovernanceStore _inner;
    private readonly RedisConnection _redis;

    /// <summary>Wraps a store.</summary>
    public RedisAnnouncingGovernanceStore(IGovernanceStore inner, RedisConnection redis)
    {
        _inner = inner;
        _redis = redis;
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => _inner.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<bool> AddEntityAsync(DirectoryEntity entity, CancellationToken cancellationToken) =>
        await AnnounceAsync(await _inner.AddEntityAsync(entity, cancellationToken));

    /// <inheritdoc />
    public async Task<bool> DeleteEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken) =>
        await AnnounceAsync(await _inner.DeleteEntityAsync(kind, id, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<DirectoryEntity>> ListEntitiesAsync(CancellationToken cancellationToken) => _inner.ListEntitiesAsync(cancellationToken);

    /// <inheritdoc />
    public async Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await _inner.AddKeyAsync(key, cancellationToken);
        await AnnounceAsync(true);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken) => _inner.ListKeysAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await AnnounceAsync(await _inner.RevokeKeyAsync(id, at, cancellationToken));

    /// <inheritdoc />
    public async Task SetLimitAsync(LimitRecord limit, CancellationToken cancellationToken)
    {
        await _inner.SetLimitAsync(limit, cancellationToken);
        await AnnounceAsync(true);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LimitRecord>> ListLimitsAsync(CancellationToken cancellationToken) => _inner.ListLimitsAsync(cancellationToken);

    /// <inheritdoc />
    public async Task SetPolicyDocumentAsync(string name, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await _inner.SetPolicyDocumentAsync(name, text, at, cancellationToken);
        await AnnounceAsync(true);
    }

    /// <inheritdoc />
    public async Task<bool> DeletePolicyDocumentAsync(string name, CancellationToken cancellationToken) =>
        await AnnounceAsync(await _inner.DeletePolicyDocumentAsync(name, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<(string Name, string Text)>> ListPolicyDocumentsAsync(CancellationToken cancellationToken) => _inner.ListPolicyDocumentsAsync(cancellationToken);

    /// <inheritdoc />
    public async Task SetCredentialAsync(CredentialRecord credential, CancellationToken cancellationToken)
    {
        await _inner.SetCredentialAsync(credential, cancellationToken);
        await AnnounceAsync(true);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteCredentialAsync(string name, CancellationToken cancellationToken) =>
        await AnnounceAsync(await _inner.DeleteCredentialAsync(name, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<CredentialRecord>> ListCredentialsAsync(CancellationToken cancellationToken) => _inner.ListCredentialsAsync(cancellationToken);

    /// <inheritdoc />
    public async Task SetBudgetAsync(BudgetLimit budget, CancellationToken cancellationToken)
    {
        await _inner.SetBudgetAsync(budget, cancellationToken);
        await AnnounceAsync(true);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteBudgetAsync(string id, CancellationToken cancellationToken) =>
        await AnnounceAsync(await _inner.DeleteBudgetAsync(id, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<BudgetLimit>> ListBudgetsAsync(CancellationToken cancellationToken) => _inner.ListBudgetsAsync(cancellationToken);

    /// <inheritdoc />
    public Task AddSpendAsync(IReadOnlyList<(string Account, long NanoUsd, long Tokens)> spend, CancellationToken cancellationToken) =>
        _inner.AddSpendAsync(spend, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<(string Account, long NanoUsd, long Tokens)>> ListSpendAsync(CancellationToken cancellationToken) =>
        _inner.ListSpendAsync(cancellationToken);

    /// <inheritdoc />
    public Task<long> ChangeVersionAsync(CancellationToken cancellationToken) => _inner.ChangeVersionAsync(cancellationToken);

    private async Task<bool> AnnounceAsync(bool changed)
    {
        if (changed)
        {
            try
            {
                await _redis.Multiplexer.GetSubscriber().PublishAsync(RedisChannel.Literal(_redis.Keys.Changes), "changed", CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Best effort: NOTIFY and the poll still carry the change.
            }
        }

        return changed;
    }
}
