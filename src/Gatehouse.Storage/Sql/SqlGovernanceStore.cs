using Gatehouse.Governance.Budgets;
using Gatehouse.Storage.Governance;
using Gatehouse.Storage.Rows;
using static Gatehouse.Storage.Sql.SqlCommands;

namespace Gatehouse.Storage.Sql;

/// <summary>
/// Governance data in a relational database. Every change runs in one transaction with the change-version bump (and,
/// on PostgreSQL, the NOTIFY), so a replica that sees the new version sees the change.
/// </summary>
public abstract class SqlGovernanceStore : IGovernanceStore
{
    private readonly SqlDatabase _database;

    /// <summary>Creates the store over a database.</summary>
    protected SqlGovernanceStore(SqlDatabase database) => _database = database;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => _database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<bool> AddEntityAsync(DirectoryEntity entity, CancellationToken cancellationToken) =>
        await ChangeAsync(StoredRows.InsertEntity, StoredRows.Of(entity), cancellationToken) > 0;

    /// <inheritdoc />
    public async Task<bool> DeleteEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken) =>
        await ChangeAsync("DELETE FROM directory_entities WHERE kind = @k AND id = @id", [("@k", StoredRows.KindName(kind)), ("@id", id)], cancellationToken) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DirectoryEntity>> ListEntitiesAsync(CancellationToken cancellationToken) =>
        await QueryAsync(_database, StoredRows.SelectEntities, StoredRows.Entity, cancellationToken);

    /// <inheritdoc />
    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        ChangeAsync(StoredRows.InsertKey, StoredRows.Of(key), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken) =>
        await QueryAsync(_database, StoredRows.SelectKeys, StoredRows.Key, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ChangeAsync("UPDATE api_keys SET revoked_ms = @at WHERE id = @id AND revoked_ms IS NULL", [("@id", id), ("@at", at.ToUnixTimeMilliseconds())], cancellationToken) > 0;

    /// <inheritdoc />
    public Task SetLimitAsync(LimitRecord limit, CancellationToken cancellationToken) =>
        limit.RequestsPerMinute is null && limit.TokensPerMinute is null && limit.MaxConcurrent is null
            ? ChangeAsync("DELETE FROM rate_limits WHERE scope = @s", [("@s", limit.Scope)], cancellationToken)
            : ChangeAsync(StoredRows.UpsertLimit, StoredRows.Of(limit), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<LimitRecord>> ListLimitsAsync(CancellationToken cancellationToken) =>
        await QueryAsync(_database, "SELECT scope, rpm, tpm, max_concurrent FROM rate_limits ORDER BY scope", StoredRows.Limit, cancellationToken);

    /// <inheritdoc />
    public Task SetBudgetAsync(BudgetLimit budget, CancellationToken cancellationToken) =>
        ChangeAsync(StoredRows.UpsertBudget, StoredRows.Of(budget), cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeleteBudgetAsync(string id, CancellationToken cancellationToken) =>
        await ChangeAsync("DELETE FROM budgets WHERE id = @id", [("@id", id)], cancellationToken) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<BudgetLimit>> ListBudgetsAsync(CancellationToken cancellationToken) =>
        await QueryAsync(_database, "SELECT id, scope, period, max_nano_usd, max_tokens, soft_thresholds FROM budgets ORDER BY id", StoredRows.Budget, cancellationToken);

    /// <inheritdoc />
    public async Task AddSpendAsync(IReadOnlyList<(string Account, long NanoUsd, long Tokens)> spend, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Create(connection, transaction, StoredRows.AddSpend);
        foreach (var (account, nanoUsd, tokens) in spend)
        {
            Bind(command, [("@a", account), ("@usd", nanoUsd), ("@tok", tokens)]);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Account, long NanoUsd, long Tokens)>> ListSpendAsync(CancellationToken cancellationToken) =>
        await QueryAsync(_database, "SELECT account, nano_usd, tokens FROM budget_spend ORDER BY account", r => (r.GetString(0), r.GetInt64(1), r.GetInt64(2)), cancellationToken);

    /// <inheritdoc />
    public Task SetPolicyDocumentAsync(string name, string text, DateTimeOffset at, CancellationToken cancellationToken) => ChangeAsync(
        """
        INSERT INTO policy_documents (name, text, updated_ms) VALUES (@n, @t, @at)
        ON CONFLICT (name) DO UPDATE SET text = excluded.text, updated_ms = excluded.updated_ms
        """,
        [("@n", name), ("@t", text), ("@at", at.ToUnixTimeMilliseconds())],
        cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeletePolicyDocumentAsync(string name, CancellationToken cancellationToken) =>
        await ChangeAsync("DELETE FROM policy_documents WHERE name = @n", [("@n", name)], cancellationToken) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Name, string Text)>> ListPolicyDocumentsAsync(CancellationToken cancellationToken) =>
        await QueryAsync(_database, "SELECT name, text FROM policy_documents ORDER BY name", r => (r.GetString(0), r.GetString(1)), cancellationToken);

    /// <inheritdoc />
    public Task SetCredentialAsync(CredentialRecord credential, CancellationToken cancellationToken) => ChangeAsync(
        """
        INSERT INTO credentials (name, provider, team_id, sealed, updated_ms) VALUES (@n, @p, @t, @s, @at)
        ON CONFLICT (name) DO UPDATE SET provider = excluded.provider, team_id = excluded.team_id, sealed = excluded.sealed, updated_ms = excluded.updated_ms
        """,
        [("@n", credential.Name), ("@p", credential.Provider), ("@t", (object?)credential.TeamId ?? DBNull.Value), ("@s", credential.Sealed), ("@at", credential.UpdatedAt.ToUnixTimeMilliseconds())],
        cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeleteCredentialAsync(string name, CancellationToken cancellationToken) =>
        await ChangeAsync("DELETE FROM credentials WHERE name = @n", [("@n", name)], cancellationToken) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialRecord>> ListCredentialsAsync(CancellationToken cancellationToken) =>
        await QueryAsync(
            _database,
            "SELECT name, provider, team_id, sealed, updated_ms FROM credentials ORDER BY name",
            r => new CredentialRecord
            {
                Name = r.GetString(0),
                Provider = r.GetString(1),
                TeamId = r.IsDBNull(2) ? null : r.GetString(2),
                Sealed = r.GetString(3),
                UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task<long> ChangeVersionAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(_database, "SELECT version FROM change_version WHERE id = 1", r => r.GetInt64(0), cancellationToken);
        return rows.Count > 0 ? rows[0] : 0;
    }

    private async Task<int> ChangeAsync(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Create(connection, transaction, sql, parameters);
        var changed = await command.ExecuteNonQueryAsync(cancellationToken);
        if (changed > 0)
        {
            await _database.MarkChangedAsync(connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }
}
