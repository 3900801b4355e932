using System.Data.Common;
using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Budgets;
using Gatehouse.Storage.Governance;
using static Gatehouse.Storage.Rows.StoredValues;

namespace Gatehouse.Storage.Rows;

/// <summary>
/// The rows of the governance and audit tables: the statements, their parameters and how a row reads back. SQLite and
/// PostgreSQL share them (both accept <c>@name</c> parameters and <c>ON CONFLICT</c>), so the two backends cannot
/// drift apart.
/// </summary>
internal static class StoredRows
{
    public const string InsertEntity = """
        INSERT INTO directory_entities (kind, id, name, org_id, team_id, parent_user_id, tags, created_ms)
        VALUES (@k, @id, @n, @o, @t, @p, @tags, @c) ON CONFLICT DO NOTHING
        """;

    public const string SelectEntities = "SELECT kind, id, name, org_id, team_id, parent_user_id, tags, created_ms FROM directory_entities ORDER BY kind, id";

    public const string InsertKey = """
        INSERT INTO api_keys (id, hash, name, user_id, agent_id, team_id, org_id, roles, tags, allowed_models, allowed_cidrs, expires_ms, revoked_ms, created_ms)
        VALUES (@id, @hash, @n, @u, @a, @t, @o, @roles, @tags, @models, @cidrs, @exp, @rev, @c)
        """;

    public const string SelectKeys = """
        SELECT id, hash, name, user_id, agent_id, team_id, org_id, roles, tags, allowed_models, allowed_cidrs, expires_ms, revoked_ms, created_ms
        FROM api_keys ORDER BY created_ms, id
        """;

    public const string UpsertLimit = """
        INSERT INTO rate_limits (scope, rpm, tpm, max_concurrent) VALUES (@s, @rpm, @tpm, @mc)
        ON CONFLICT (scope) DO UPDATE SET rpm = excluded.rpm, tpm = excluded.tpm, max_concurrent = excluded.max_concurrent
        """;

    public const string UpsertBudget = """
        INSERT INTO budgets (id, scope, period, max_nano_usd, max_tokens, soft_thresholds) VALUES (@id, @s, @p, @usd, @tok, @soft)
        ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, period = excluded.period, max_nano_usd = excluded.max_nano_usd,
            max_tokens = excluded.max_tokens, soft_thresholds = excluded.soft_thresholds
        """;

    public const string AddSpend = """
        INSERT INTO budget_spend (account, nano_usd, tokens) VALUES (@a, @usd, @tok)
        ON CONFLICT (account) DO UPDATE SET nano_usd = budget_spend.nano_usd + excluded.nano_usd, tokens = budget_spend.tokens + excluded.tokens
        """;

    public const string InsertAudit = """
        INSERT INTO audit_log (seq, ts_ms, actor, action, target, outcome, reason, request_id, source_ip, details, prev_hash, hash)
        VALUES (@seq, @ts, @actor, @action, @target, @outcome, @reason, @rid, @ip, @details, @prev, @hash)
        """;

    public const string SelectAudit = """
        SELECT seq, ts_ms, actor, action, target, outcome, reason, request_id, source_ip, details, prev_hash, hash
        FROM audit_log WHERE seq >= @from ORDER BY seq
        """;

    public static (string, object)[] Of(DirectoryEntity e) =>
    [
        ("@k", KindName(e.Kind)), ("@id", e.Id), ("@n", Nullable(e.Name)), ("@o", Nullable(e.OrgId)), ("@t", Nullable(e.TeamId)),
        ("@p", Nullable(e.ParentUserId)), ("@tags", List(e.Tags)), ("@c", e.CreatedAt.ToUnixTimeMilliseconds()),
    ];

    public static (string, object)[] Of(ApiKeyRecord k) =>
    [
        ("@id", k.Id), ("@hash", k.Hash), ("@n", Nullable(k.Name)), ("@u", Nullable(k.UserId)), ("@a", Nullable(k.AgentId)),
        ("@t", Nullable(k.TeamId)), ("@o", Nullable(k.OrgId)), ("@roles", List(k.Roles)), ("@tags", List(k.Tags)),
        ("@models", List(k.AllowedModels)), ("@cidrs", List(k.AllowedCidrs)), ("@exp", Time(k.ExpiresAt)), ("@rev", Time(k.RevokedAt)),
        ("@c", k.CreatedAt.ToUnixTimeMilliseconds()),
    ];

    public static (string, object)[] Of(LimitRecord l) =>
    [
        ("@s", l.Scope), ("@rpm", Nullable(l.RequestsPerMinute)), ("@tpm", Nullable(l.TokensPerMinute)), ("@mc", Nullable(l.MaxConcurrent)),
    ];

    public static (string, object)[] Of(BudgetLimit b) =>
    [
        ("@id", b.Id), ("@s", b.Scope), ("@p", BudgetWindow.Name(b.Period)), ("@usd", Nullable(b.MaxNanoUsd)),
        ("@tok", Nullable(b.MaxTokens)), ("@soft", Thresholds(b.SoftThresholds)),
    ];

    public static (string, object)[] Of(AuditRecord r) =>
    [
        ("@seq", r.Sequence), ("@ts", r.Entry.Time.ToUnixTimeMilliseconds()), ("@actor", r.Entry.Actor), ("@action", r.Entry.Action),
        ("@target", r.Entry.Target), ("@outcome", r.Entry.Outcome), ("@reason", Nullable(r.Entry.Reason)), ("@rid", Nullable(r.Entry.RequestId)),
        ("@ip", Nullable(r.Entry.SourceIp)), ("@details", Nullable(r.Entry.Details)), ("@prev", r.PreviousHash), ("@hash", r.Hash),
    ];

    public static DirectoryEntity Entity(DbDataReader r) => new()
    {
        Kind = Enum.Parse<EntityKind>(r.GetString(0), ignoreCase: true),
        Id = r.GetString(1),
        Name = String(r, 2),
        OrgId = String(r, 3),
        TeamId = String(r, 4),
        ParentUserId = String(r, 5),
        Tags = List(r, 6),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
    };

    public static ApiKeyRecord Key(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Hash = Bytes(r, 1),
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
    };

    public static LimitRecord Limit(DbDataReader r) => new()
    {
        Scope = r.GetString(0),
        RequestsPerMinute = Int64(r, 1),
        TokensPerMinute = Int64(r, 2),
        MaxConcurrent = Int64(r, 3),
    };

    public static BudgetLimit Budget(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Scope = r.GetString(1),
        Period = BudgetWindow.TryParse(r.GetString(2), out var period) ? period : BudgetPeriod.Lifetime,
        MaxNanoUsd = Int64(r, 3),
        MaxTokens = Int64(r, 4),
        SoftThresholds = Thresholds(r, 5),
    };

    public static AuditRecord Audit(DbDataReader r)
    {
        var entry = new AuditEntry
        {
            Time = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
            Actor = r.GetString(2),
            Action = r.GetString(3),
            Target = r.GetString(4),
            Outcome = r.GetString(5),
            Reason = String(r, 6),
            RequestId = String(r, 7),
            SourceIp = String(r, 8),
            Details = String(r, 9),
        };
        return new AuditRecord(r.GetInt64(0), entry, Bytes(r, 10), Bytes(r, 11));
    }

    public static string KindName(EntityKind kind) => kind.ToString().ToLowerInvariant();
}
