using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Budgets;
using Gatehouse.Storage.Audit;
using Gatehouse.Storage.Governance;
using Gatehouse.Storage.RequestLogs;
using Gatehouse.Storage.Sql;
using Xunit;

namespace Gatehouse.Storage.Tests.Stores;

/// <summary>
/// The behaviour every storage backend must show, written once: SQLite and PostgreSQL each run it against the real
/// database (see the subclasses).
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A new handle on the test's database (each call a separate instance, like another replica).</summary>
    protected abstract SqlDatabase OpenDatabase();

    protected abstract IGovernanceStore GovernanceStore(SqlDatabase database);

    protected abstract IAuditStore AuditStore(SqlDatabase database);

    protected abstract IRequestLogStore RequestLogStore(SqlDatabase database);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private async Task<IGovernanceStore> GovernanceAsync()
    {
        var store = GovernanceStore(OpenDatabase());
        await store.InitializeAsync(default);
        return store;
    }

    [Fact]
    public async Task Migrations_apply_once_even_when_many_instances_start_together()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => GovernanceStore(OpenDatabase()).InitializeAsync(default)));
        var store = await GovernanceAsync();
        Assert.Equal(0, await store.ChangeVersionAsync(default));
    }

    [Fact]
    public async Task Policy_documents_and_credentials_are_replaced_by_name_and_bump_the_change_version()
    {
        var store = await GovernanceAsync();
        await store.SetPolicyDocumentAsync("base", "policies: []\n", T0, default);
        await store.SetPolicyDocumentAsync("base", "policies: [] # v2\n", T0, default);
        Assert.Equal([("base", "policies: [] # v2\n")], await store.ListPolicyDocumentsAsync(default));
        await store.SetCredentialAsync(new CredentialRecord { Name = "c1", Provider = "openai", Sealed = "v1.k.AAAA", UpdatedAt = T0 }, default);
        await store.SetCredentialAsync(new CredentialRecord { Name = "c1", Provider = "openai", TeamId = "research", Sealed = "v1.k.BBBB", UpdatedAt = T0 }, default);
        var credential = Assert.Single(await store.ListCredentialsAsync(default));
        Assert.Equal(("research", "v1.k.BBBB", T0), (credential.TeamId, credential.Sealed, credential.UpdatedAt));
        Assert.Equal(4, await store.ChangeVersionAsync(default));
        Assert.True(await store.DeleteCredentialAsync("c1", default));
        Assert.True(await store.DeletePolicyDocumentAsync("base", default));
        Assert.False(await store.DeletePolicyDocumentAsync("base", default));
        Assert.Empty(await store.ListCredentialsAsync(default));
    }

    [Fact]
    public async Task Entities_are_added_once_listed_in_order_and_deleted()
    {
        var store = await GovernanceAsync();
        Assert.True(await store.AddEntityAsync(new DirectoryEntity { Kind = EntityKind.Team, Id = "research", OrgId = "acme", Tags = ["a", "b"], CreatedAt = T0 }, default));
        Assert.True(await store.AddEntityAsync(new DirectoryEntity { Kind = EntityKind.Org, Id = "acme", Name = "Acme", CreatedAt = T0 }, default));
        Assert.False(await store.AddEntityAsync(new DirectoryEntity { Kind = EntityKind.Org, Id = "acme", CreatedAt = T0 }, default));
        var entities = await store.ListEntitiesAsync(default);
        Assert.Equal(["org:acme", "team:research"], entities.Select(e => $"{e.Kind.ToString().ToLowerInvariant()}:{e.Id}"));
        Assert.Equal(["a", "b"], entities[1].Tags);
        Assert.Equal("acme", entities[1].OrgId);
        Assert.Equal(T0, entities[0].CreatedAt);
        Assert.True(await store.DeleteEntityAsync(EntityKind.Team, "research", default));
        Assert.False(await store.DeleteEntityAsync(EntityKind.Team, "research", default));
    }

    [Fact]
    public async Task Keys_round_trip_and_revoke_once()
    {
        var store = await GovernanceAsync();
        var key = new ApiKeyRecord
        {
            Id = "abcdefabcdef",
            Hash = [1, 2, 3, 255],
            Name = "ops",
            AgentId = "bot",
            Roles = ["admin"],
            AllowedModels = ["openai/*", "smart"],
            AllowedCidrs = ["10.0.0.0/8"],
            ExpiresAt = T0.AddDays(1),
            CreatedAt = T0,
        };
        await store.AddKeyAsync(key, default);
        var listed = Assert.Single(await store.ListKeysAsync(default));
        Assert.Equal(key.Hash, listed.Hash);
        Assert.Equal(key.AllowedModels, listed.AllowedModels);
        Assert.Equal(key.ExpiresAt, listed.ExpiresAt);
        Assert.Null(listed.RevokedAt);
        Assert.Empty(listed.Tags);
        Assert.True(await store.RevokeKeyAsync(key.Id, T0.AddHours(1), default));
        Assert.False(await store.RevokeKeyAsync(key.Id, T0.AddHours(2), default));
        Assert.False(await store.RevokeKeyAsync("unknown", T0, default));
        Assert.Equal(T0.AddHours(1), (await store.ListKeysAsync(default))[0].RevokedAt);
    }

    [Fact]
    public async Task Limits_and_budgets_are_replaced_and_removed()
    {
        var store = await GovernanceAsync();
        await store.SetLimitAsync(new LimitRecord { Scope = "team:r", RequestsPerMinute = 10 }, default);
        await store.SetLimitAsync(new LimitRecord { Scope = "team:r", TokensPerMinute = 500, MaxConcurrent = 2 }, default);
        var limit = Assert.Single(await store.ListLimitsAsync(default));
        Assert.Equal((null, 500L, 2L), (limit.RequestsPerMinute, limit.TokensPerMinute, limit.MaxConcurrent));
        await store.SetLimitAsync(new LimitRecord { Scope = "team:r" }, default);
        Assert.Empty(await store.ListLimitsAsync(default));

        await store.SetBudgetAsync(new BudgetLimit { Id = "b1", Scope = "key:k", MaxNanoUsd = 5, SoftThresholds = [0.5, 0.8] }, default);
        await store.SetBudgetAsync(new BudgetLimit { Id = "b1", Scope = "key:k", Period = BudgetPeriod.Daily, MaxTokens = 9 }, default);
        var budget = Assert.Single(await store.ListBudgetsAsync(default));
        Assert.Equal((BudgetPeriod.Daily, null, 9L), (budget.Period, budget.MaxNanoUsd, budget.MaxTokens));
        Assert.Empty(budget.SoftThresholds);
        await store.SetBudgetAsync(budget with { SoftThresholds = [0.25] }, default);
        Assert.Equal([0.25], (await store.ListBudgetsAsync(default))[0].SoftThresholds);
        Assert.True(await store.DeleteBudgetAsync("b1", default));
        Assert.False(await store.DeleteBudgetAsync("b1", default));
    }

    [Fact]
    public async Task Spend_accumulates_per_account_across_instances()
    {
        var first = await GovernanceAsync();
        var second = GovernanceStore(OpenDatabase());
        await first.AddSpendAsync([("b@1", 100, 1), ("c@1", 5, 0)], default);
        await second.AddSpendAsync([("b@1", 50, 2)], default);
        Assert.Equal([("b@1", 150L, 3L), ("c@1", 5L, 0L)], await first.ListSpendAsync(default));
    }

    [Fact]
    public async Task The_change_version_moves_on_every_change_and_only_then()
    {
        var store = await GovernanceAsync();
        var other = GovernanceStore(OpenDatabase());
        var v0 = await store.ChangeVersionAsync(default);
        await store.AddEntityAsync(new DirectoryEntity { Kind = EntityKind.Org, Id = "o", CreatedAt = T0 }, default);
        var v1 = await other.ChangeVersionAsync(default);
        Assert.True(v1 > v0);
        await store.AddSpendAsync([("x@0", 1, 1)], default);
        await store.RevokeKeyAsync("absent", T0, default);
        await store.ListKeysAsync(default);
        Assert.Equal(v1, await other.ChangeVersionAsync(default));
        await other.SetBudgetAsync(new BudgetLimit { Id = "b", Scope = "org:o", MaxTokens = 1 }, default);
        Assert.True(await store.ChangeVersionAsync(default) > v1);
    }

    [Fact]
    public async Task Audit_appends_chain_and_read_back_in_order()
    {
        var store = AuditStore(OpenDatabase());
        await store.InitializeAsync(default);
        Assert.Equal((0L, (byte[]?)null), await store.HeadAsync(default));
        await store.AppendAsync([Entry("a"), Entry("b")], default);
        await store.AppendAsync([Entry("c") with { Reason = "why", Details = "{\"x\":1}" }], default);
        var records = await ReadAllAsync(store);
        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
        Assert.Equal("why", records[2].Entry.Reason);
        var (count, head) = await store.HeadAsync(default);
        Assert.Equal(3, count);
        Assert.Equal(records[2].Hash, head);
        Assert.True(AuditChain.Verify(records, count, head).IsIntact);
    }

    [Fact]
    public async Task Audit_keeps_one_chain_under_concurrent_appends_from_two_instances()
    {
        var stores = new[] { AuditStore(OpenDatabase()), AuditStore(OpenDatabase()) };
        await stores[0].InitializeAsync(default);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            stores[i % 2].AppendAsync([Entry($"w{i}a"), Entry($"w{i}b")], default))));
        var records = await ReadAllAsync(stores[1]);
        var (count, head) = await stores[0].HeadAsync(default);
        Assert.Equal(80, count);
        Assert.Equal(80, records.Count);
        var verification = AuditChain.Verify(records, count, head);
        Assert.True(verification.IsIntact, verification.Problem);
    }

    [Fact]
    public async Task A_nul_in_text_from_a_request_is_stored_as_a_replacement_character_and_fails_nothing()
    {
        // PostgreSQL refuses NUL in text: a model name with one used to fail its whole request log batch and to stall
        // the audit writer. Both records are kept; the audit chain hashes what was stored.
        var audit = AuditStore(OpenDatabase());
        await audit.InitializeAsync(default);
        await audit.AppendAsync([Entry("model:openai/x\0") with { Reason = "not\0allowed" }], default);
        var records = await ReadAllAsync(audit);
        Assert.Equal("model:openai/x\uFFFD", records[0].Entry.Target);
        Assert.Equal("not\uFFFDallowed", records[0].Entry.Reason);
        var (count, head) = await audit.HeadAsync(default);
        Assert.True(AuditChain.Verify(records, count, head).IsIntact);

        var logs = RequestLogStore(OpenDatabase());
        await logs.InitializeAsync(default);
        await logs.WriteBatchAsync([Log("nul", T0, "openai/x\0", 403, null), Log("next", T0.AddSeconds(1), "gpt-4o", 200, null)], default);
        var stored = await logs.QueryAsync(new RequestLogQuery(), default);
        Assert.Equal(["next", "nul"], stored.Select(r => r.Id));
        Assert.Equal("openai/x\uFFFD", stored[1].ModelRequested);
    }

    [Fact]
    public async Task Request_logs_are_written_in_batches_and_filtered()
    {
        var store = RequestLogStore(OpenDatabase());
        await store.InitializeAsync(default);
        await store.WriteBatchAsync(
            [
                Log("r1", T0, "gpt-4o", 200, 0.0125m),
                Log("r2", T0.AddSeconds(1), "claude", 429, null),
                Log("r3", T0.AddSeconds(2), "gpt-4o", 200, null) with { Stream = true, TtfbMs = 12.5 },
            ],
            default);
        var all = await store.QueryAsync(new RequestLogQuery(), default);
        Assert.Equal(["r3", "r2", "r1"], all.Select(r => r.Id));
        Assert.Equal(0.0125m, all[2].CostUsd);
        Assert.True(all[0].Stream);
        Assert.Equal(12.5, all[0].TtfbMs);
        Assert.Equal(["r2"], (await store.QueryAsync(new RequestLogQuery { ErrorsOnly = true }, default)).Select(r => r.Id));
        Assert.Equal(["r3", "r1"], (await store.QueryAsync(new RequestLogQuery { Model = "mock/gpt-4o" }, default)).Select(r => r.Id));
        Assert.Equal(["r2"], (await store.QueryAsync(new RequestLogQuery { Since = T0.AddSeconds(1), Until = T0.AddSeconds(2) }, default)).Select(r => r.Id));
        Assert.Single(await store.QueryAsync(new RequestLogQuery { Limit = 1 }, default));
    }

    [Fact]
    public async Task Request_log_records_keep_every_field_and_a_repeated_id_is_ignored()
    {
        var store = RequestLogStore(OpenDatabase());
        await store.InitializeAsync(default);
        var full = new RequestLogRecord
        {
            Id = "full",
            Timestamp = T0.AddMilliseconds(1234),
            Route = "/v1/messages",
            ModelRequested = "smart",
            Provider = "anthropic",
            ModelServed = "claude-sonnet-4-5",
            Status = 502,
            Stream = true,
            LatencyMs = 1234.5678,
            TtfbMs = 98.25,
            InputTokens = 9_000_000_000,
            OutputTokens = 77,
            CachedInputTokens = 12,
            CostUsd = 0.000012345678901234m,
            Attempts = 3,
            ErrorCode = "upstream_error",
            ErrorMessage = "Üpstream said \"no\" — ✓ 日本",
            Guardrails = "pii:input=redacted;secrets:output=pass",
            Routing = """{"strategy":"fallback","attempts":[{"target":"a","status":502}]}""",
        };
        var empty = new RequestLogRecord { Id = "empty", Timestamp = T0, Route = "/v1/embeddings", ModelRequested = string.Empty, Guardrails = string.Empty };
        await store.WriteBatchAsync([full, empty], default);
        await store.WriteBatchAsync([full with { Status = 200, ErrorCode = null }], default);

        var all = await store.QueryAsync(new RequestLogQuery(), default);

        Assert.Equal([full, empty], all);
    }

    private static async Task<List<AuditRecord>> ReadAllAsync(IAuditStore store)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in store.ReadAsync(1, default))
        {
            records.Add(record);
        }

        return records;
    }

    private static AuditEntry Entry(string target) =>
        new() { Time = T0, Actor = "key:admin", Action = "keys.create", Target = target, Outcome = "ok" };

    private static RequestLogRecord Log(string id, DateTimeOffset at, string model, int status, decimal? cost) => new()
    {
        Id = id,
        Timestamp = at,
        Route = "/v1/chat/completions",
        ModelRequested = model,
        Provider = "mock",
        ModelServed = model,
        Status = status,
        LatencyMs = 3.5,
        InputTokens = 10,
        OutputTokens = 5,
        Attempts = 1,
        CostUsd = cost,
    };
}
