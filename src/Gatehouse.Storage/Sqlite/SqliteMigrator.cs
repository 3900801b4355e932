using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>Applies versioned schema migrations to the SQLite store, each once, in order, in a transaction.</summary>
public static class SqliteMigrator
{
    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE request_logs (
                id TEXT PRIMARY KEY,
                ts_ms INTEGER NOT NULL,
                route TEXT NOT NULL,
                model_requested TEXT,
                provider TEXT,
                model_served TEXT,
                status INTEGER NOT NULL,
                stream INTEGER NOT NULL,
                latency_ms REAL NOT NULL,
                ttfb_ms REAL,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cached_input_tokens INTEGER NOT NULL,
                cost_usd TEXT,
                attempts INTEGER NOT NULL,
                error_code TEXT,
                error_message TEXT
            );
            CREATE INDEX ix_request_logs_ts ON request_logs (ts_ms);
            CREATE INDEX ix_request_logs_model ON request_logs (model_requested, ts_ms);
            """),
        (2, """
            CREATE TABLE directory_entities (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                name TEXT,
                org_id TEXT,
                team_id TEXT,
                parent_user_id TEXT,
                tags TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                PRIMARY KEY (kind, id)
            );
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                hash BLOB NOT NULL,
                name TEXT,
                user_id TEXT,
                agent_id TEXT,
                team_id TEXT,
                org_id TEXT,
                roles TEXT NOT NULL,
                tags TEXT NOT NULL,
                allowed_models TEXT NOT NULL,
                allowed_cidrs TEXT NOT NULL,
                expires_ms INTEGER,
                revoked_ms INTEGER,
                created_ms INTEGER NOT NULL
            );
            CREATE TABLE rate_limits (
                scope TEXT PRIMARY KEY,
                rpm INTEGER,
                tpm INTEGER,
                max_concurrent INTEGER
            );
            CREATE TABLE budgets (
                id TEXT PRIMARY KEY,
                scope TEXT NOT NULL,
                period TEXT NOT NULL,
                max_nano_usd INTEGER,
                max_tokens INTEGER,
                soft_thresholds TEXT NOT NULL
            );
            CREATE TABLE budget_spend (
                account TEXT PRIMARY KEY,
                nano_usd INTEGER NOT NULL,
                tokens INTEGER NOT NULL
            );
            CREATE TABLE change_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
            INSERT INTO change_version (id, version) VALUES (1, 0);
            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY,
                ts_ms INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                outcome TEXT NOT NULL,
                reason TEXT,
                request_id TEXT,
                source_ip TEXT,
                details TEXT,
                prev_hash BLOB NOT NULL,
                hash BLOB NOT NULL
            );
            CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash BLOB);
            INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, NULL);
            """),
        (3, """
            CREATE TABLE policy_documents (
                name TEXT PRIMARY KEY,
                text TEXT NOT NULL,
                updated_ms INTEGER NOT NULL
            );
            """),
        (4, """
            CREATE TABLE credentials (
                name TEXT PRIMARY KEY,
                provider TEXT NOT NULL,
                team_id TEXT,
                sealed TEXT NOT NULL,
                updated_ms INTEGER NOT NULL
            );
            """),
        (5, """
            ALTER TABLE request_logs ADD COLUMN guardrails TEXT;
            """),
        (6, """
            ALTER TABLE request_logs ADD COLUMN routing TEXT;
            """),
    ];

    /// <summary>Applies pending migrations.</summary>
    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (version, sql) in Migrations)
        {
            using var transaction = connection.BeginTransaction();
            using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $v";
                check.Parameters.AddWithValue("$v", version);
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    continue;
                }
            }

            using (var apply = connection.CreateCommand())
            {
                apply.Transaction = transaction;
                apply.CommandText = sql + $"; INSERT INTO schema_migrations (version, applied_ms) VALUES ({version}, {Environment.TickCount64})";
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }
}
