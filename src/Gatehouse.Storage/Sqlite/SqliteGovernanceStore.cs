using System.Globalization;
using Gatehouse.Governance.Budgets;
using Gatehouse.Storage.Governance;
using Microsoft.Data.Sqlite;
using static Gatehouse.Storage.Sqlite.SqliteValues;

namespace Gatehouse.Storage.Sqlite;

/// <summary>Governance data in the embedded SQLite file.</summary>
public sealed class SqliteGovernanceStore : IGovernanceStore
{
    private const string BumpVersion = "UPDATE change_version SET version = version + 1 WHERE id = 1;";
    private readonly SqliteDatabase _database;

    /// <summary>Creates the store.</summary>
    public SqliteGovernanceStore(SqliteDatabase database) => _database = database;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await SqliteMigrator.MigrateAsync(connection, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> AddEntityAsync(DirectoryEntity entity, CancellationToken cancellationToken)
    {
        var changed = await ExecuteAsync(
            "INSERT OR IGNORE INTO directory_entities (kind, id, name, org_id, team_id, parent_user_id, tags, created_ms) VALUES ($k, $id, $n, $o, $t, $p, $tags, $c)",
            cancellationToken,
            ("$k", KindName(entity.Kind)),
            ("$id", entity.Id),
            ("$n", Nullable(entity.Name)),
            ("$o", Nullable(entity.OrgId)),
            ("$t", Nullable(entity.TeamId)),
            ("$p", Nullable(entity.ParentUserId)),
            ("$tags", List(entity.Tags)),
            ("$c", entity.CreatedAt.ToUnixTimeMilliseconds()));
        return changed > 0;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM directory_entities WHERE kind = $k AND id = $id", cancellationToken, ("$k", KindName(kind)), ("$id", id)) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DirectoryEntity>> ListEntitiesAsync(CancellationToken cancellationToken)
    {
        var result = new List<DirectoryEntity>();
        await QueryAsync("SELECT kind, id, name, org_id, team_id, parent_user_id, tags, created_ms FROM directory_entities ORDER BY kind, id", r => result.Add(new DirectoryEntity
        {
            Kind = Enum.Parse<EntityKind>(r.GetString(0), ignoreCase: true),
            Id = r.GetString(1),
            Name = String(r, 2),
            OrgId = String(r, 3),
            TeamId = String(r, 4),
            ParentUserId = String(r, 5),
            Tags = List(r, 6),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
        }), cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) => ExecuteAsync(
        """
        INSERT INTO api_keys (id, hash, name, user_id, agent_id, team_id, org_id, roles, tags, allowed_models, allowed_cidrs, expires_ms, revoked_ms, created_ms)
        VALUES ($id, $hash, $n, $u, $a, $t, $o, $roles, $tags, $models, $cidrs, $exp, $rev, $c)
        """,
        cancellationToken,
        ("$id", key.Id),
        ("$hash", key.Hash),
        ("$n", Nullable(key.Name)),
        ("$u", Nullable(key.UserId)),
        ("$a", Nullable(key.AgentId)),
        ("$t", Nullable(key.TeamId)),
        ("$o", Nullable(key.OrgId)),
        ("$roles", List(key.Roles)),
        ("$tags", List(key.Tags)),
        ("$models", List(key.AllowedModels)),
        ("$cidrs", List(key.AllowedCidrs)),
        ("$exp", Time(key.ExpiresAt)),
        ("$rev", Time(key.RevokedAt)),
        ("$c", key.CreatedAt.ToUnixTimeMilliseconds()));

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken)
    {
        var result = new List<ApiKeyRecord>();
        await QueryAsync(
            "SELECT id, hash, name, user_id, agent_id, team_id, org_id, roles, tags, allowed_models, allowed_cidrs, expires_ms, revoked_ms, created_ms FROM api_keys ORDER BY created_ms, id",

            r => result.Add(new ApiKeyRecord
            {
                Id = r.GetString(0),
                Hash = (byte[])r.GetValue(1),
                Name = String(r, 2),
                UserId = String(r, 3),
                AgentId = String(r, 4),
                TeamId = String(r, 5),
                OrgId = String(r, 6),
                Roles = List(r, 7),
                Tags = List(r, 8),
                AllowedModels = List(r, 9),
                AllowedCidrs = List(r, 10),
                ExpiresAt = Time(r, 11),
                RevokedAt = Time(r, 12),
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)),
            }), cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE api_keys SET revoked_ms = $at WHERE id = $id AND revoked_ms IS NULL", cancellationToken, ("$id", id), ("$at", at.ToUnixTimeMilliseconds())) > 0;

    /// <inheritdoc />
    public Task SetLimitAsync(LimitRecord limit, CancellationToken cancellationToken) =>
        limit.RequestsPerMinute is null && limit.TokensPerMinute is null && limit.MaxConcurrent is null
            ? ExecuteAsync("DELETE FROM rate_limits WHERE scope = $s", cancellationToken, ("$s", limit.Scope))
            : ExecuteAsync(
                "INSERT OR REPLACE INTO rate_limits (scope, rpm, tpm, max_concurrent) VALUES ($s, $rpm, $tpm, $mc)",
                cancellationToken,
                ("$s", limit.Scope),
                ("$rpm", Nullable(limit.RequestsPerMinute)),
                ("$tpm", Nullable(limit.TokensPerMinute)),
                ("$mc", Nullable(limit.MaxConcurrent)));

    /// <inheritdoc />
    public async Task<IReadOnlyList<LimitRecord>> ListLimitsAsync(CancellationToken cancellationToken)
    {
        var result = new List<LimitRecord>();
        await QueryAsync("SELECT scope, rpm, tpm, max_concurrent FROM rate_limits ORDER BY scope", r => result.Add(new LimitRecord
        {
            Scope = r.GetString(0),
            RequestsPerMinute = Int64(r, 1),
            TokensPerMinute = Int64(r, 2),
            MaxConcurrent = Int64(r, 3),
        }), cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public Task SetBudgetAsync(BudgetLimit budget, CancellationToken cancellationToken) => ExecuteAsync(
        "INSERT OR REPLACE INTO budgets (id, scope, period, max_nano_usd, max_tokens, soft_thresholds) VALUES ($id, $s, $p, $usd, $tok, $soft)",
        cancellationToken,
        ("$id", budget.Id),
        ("$s", budget.Scope),
        ("$p", BudgetWindow.Name(budget.Period)),
        ("$usd", Nullable(budget.MaxNanoUsd)),
        ("$tok", Nullable(budget.MaxTokens)),
        ("$soft", string.Join(',', budget.SoftThresholds.Select(t => t.ToString("R", CultureInfo.InvariantCulture)))));

    /// <inheritdoc />
    public async Task<bool> DeleteBudgetAsync(string id, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM budgets WHERE id = $id", cancellationToken, ("$id", id)) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<BudgetLimit>> ListBudgetsAsync(CancellationToken cancellationToken)
    {
        var result = new List<BudgetLimit>();
        await QueryAsync("SELECT id, scope, period, max_nano_usd, max_tokens, soft_thresholds FROM budgets ORDER BY id", r =>
        {
            var period = BudgetWindow.TryParse(r.GetString(2), out var parsed) ? parsed : BudgetPeriod.Lifetime;
            var soft = r.GetString(5);
            result.Add(new BudgetLimit
            {
                Id = r.GetString(0),
                Scope = r.GetString(1),
                Period = period,
                MaxNanoUsd = Int64(r, 3),
                MaxTokens = Int64(r, 4),
                SoftThresholds = soft.Length == 0 ? [] : [.. soft.Split(',').Select(t => double.Parse(t, CultureInfo.InvariantCulture))],
            });
        }, cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task AddSpendAsync(IReadOnlyList<(string Account, long NanoUsd, long Tokens)> spend, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO budget_spend (account, nano_usd, tokens) VALUES ($a, $usd, $tok)
            ON CONFLICT (account) DO UPDATE SET nano_usd = nano_usd + excluded.nano_usd, tokens = tokens + excluded.tokens
            """;
        var account = command.Parameters.Add("$a", SqliteType.Text);
        var usd = command.Parameters.Add("$usd", SqliteType.Integer);
        var tokens = command.Parameters.Add("$tok", SqliteType.Integer);
        foreach (var item in spend)
        {
            account.Value = item.Account;
            usd.Value = item.NanoUsd;
            tokens.Value = item.Tokens;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Account, long NanoUsd, long Tokens)>> ListSpendAsync(CancellationToken cancellationToken)
    {
        var result = new List<(string, long, long)>();
        await QueryAsync("SELECT account, nano_usd, tokens FROM budget_spend", r => result.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2))), cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public Task SetPolicyDocumentAsync(string name, string text, DateTimeOffset at, CancellationToken cancellationToken) => ExecuteAsync(
        "INSERT OR REPLACE INTO policy_documents (name, text, updated_ms) VALUES ($n, $t, $at)",
        cancellationToken,
        ("$n", name),
        ("$t", text),
        ("$at", at.ToUnixTimeMilliseconds()));

    /// <inheritdoc />
    public async Task<bool> DeletePolicyDocumentAsync(string name, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM policy_documents WHERE name = $n", cancellationToken, ("$n", name)) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Name, string Text)>> ListPolicyDocumentsAsync(CancellationToken cancellationToken)
    {
        var result = new List<(string, string)>();
        await QueryAsync("SELECT name, text FROM policy_documents ORDER BY name", r => result.Add((r.GetString(0), r.GetString(1))), cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public Task SetCredentialAsync(CredentialRecord credential, CancellationToken cancellationToken) => ExecuteAsync(
        "INSERT OR REPLACE INTO credentials (name, provider, team_id, sealed, updated_ms) VALUES ($n, $p, $t, $s, $at)",
        cancellationToken,
        ("$n", credential.Name),
        ("$p", credential.Provider),
        ("$t", Nullable(credential.TeamId)),
        ("$s", credential.Sealed),
        ("$at", credential.UpdatedAt.ToUnixTimeMilliseconds()));

    /// <inheritdoc />
    public async Task<bool> DeleteCredentialAsync(string name, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM credentials WHERE name = $n", cancellationToken, ("$n", name)) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialRecord>> ListCredentialsAsync(CancellationToken cancellationToken)
    {
        var result = new List<CredentialRecord>();
        await QueryAsync(
            "SELECT name, provider, team_id, sealed, updated_ms FROM credentials ORDER BY name",
            r => result.Add(new CredentialRecord
            {
                Name = r.GetString(0),
                Provider = r.GetString(1),
                TeamId = String(r, 2),
                Sealed = r.GetString(3),
                UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
            }),
            cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task<long> ChangeVersionAsync(CancellationToken cancellationToken)
    {
        long version = 0;
        await QueryAsync("SELECT version FROM change_version WHERE id = 1", r => version = r.GetInt64(0), cancellationToken);
        return version;
    }

    private static string KindName(EntityKind kind) => kind.ToString().ToLowerInvariant();

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var changed = await command.ExecuteNonQueryAsync(cancellationToken);
        if (changed > 0)
        {
            using var bump = connection.CreateCommand();
            bump.Transaction = transaction;
            bump.CommandText = BumpVersion;
            await bump.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    private async Task QueryAsync(string sql, Action<SqliteDataReader> read, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }
    }
}
