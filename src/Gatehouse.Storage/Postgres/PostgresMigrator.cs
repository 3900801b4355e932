using Npgsql;

namespace Gatehouse.Storage.Postgres;

/// <summary>
/// Applies versioned schema migrations to PostgreSQL, each once, in order, each in its own transaction. A session
/// advisory lock (keyed by schema) serializes replicas that start together: the first applies, the others find the
/// migrations recorded and go on.
/// </summary>
public static class PostgresMigrator
{
    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE request_logs (
                id text COLLATE "C" PRIMARY KEY,
                ts_ms bigint NOT NULL,
                route text NOT NULL,
                model_requested text,
                provider text,
                model_served text,
                status integer NOT NULL,
                stream integer NOT NULL,
                latency_ms double precision NOT NULL,
                ttfb_ms double precision,
                input_tokens bigint NOT NULL,
                output_tokens bigint NOT NULL,
                cached_input_tokens bigint NOT NULL,
                cost_usd text,
                attempts integer NOT NULL,
                error_code text,
                error_message text
            );
            CREATE INDEX ix_request_logs_ts ON request_logs (ts_ms);
            CREATE INDEX ix_request_logs_model ON request_logs (model_requested, ts_ms);
            CREATE TABLE directory_entities (
                kind text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                name text,
                org_id text,
                team_id text,
                parent_user_id text,
                tags text NOT NULL,
                created_ms bigint NOT NULL,
                PRIMARY KEY (kind, id)
            );
            CREATE TABLE api_keys (
                id text COLLATE "C" PRIMARY KEY,
                hash bytea NOT NULL,
                name text,
                user_id text,
                agent_id text,
                team_id text,
                org_id text,
                roles text NOT NULL,
                tags text NOT NULL,
                allowed_models text NOT NULL,
                allowed_cidrs text NOT NULL,
                expires_ms bigint,
                revoked_ms bigint,
                created_ms bigint NOT NULL
            );
            CREATE TABLE rate_limits (
                scope text COLLATE "C" PRIMARY KEY,
                rpm bigint,
                tpm bigint,
                max_concurrent bigint
            );
            CREATE TABLE budgets (
                id text COLLATE "C" PRIMARY KEY,
                scope text NOT NULL,
                period text NOT NULL,
                max_nano_usd bigint,
                max_tokens bigint,
                soft_thresholds text NOT NULL
            );
            CREATE TABLE budget_spend (
                account text COLLATE "C" PRIMARY KEY,
                nano_usd bigint NOT NULL,
                tokens bigint NOT NULL
            );
            CREATE TABLE change_version (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
            INSERT INTO change_version (id, version) VALUES (1, 0);
            CREATE TABLE audit_log (
                seq bigint PRIMARY KEY,
                ts_ms bigint NOT NULL,
                actor text NOT NULL,
                action text NOT NULL,
                target text NOT NULL,
                outcome text NOT NULL,
                reason text,
                request_id text,
                source_ip text,
                details text,
                prev_hash bytea NOT NULL,
                hash bytea NOT NULL
            );
            CREATE TABLE audit_head (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash bytea);
            INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, NULL);
            """),
        (2, """
            CREATE TABLE policy_documents (
                name text COLLATE "C" PRIMARY KEY,
                text text NOT NULL,
                updated_ms bigint NOT NULL
            );
            CREATE TABLE credentials (
                name text COLLATE "C" PRIMARY KEY,
                provider text NOT NULL,
                team_id text,
                sealed text NOT NULL,
                updated_ms bigint NOT NULL
            );
            ALTER TABLE request_logs ADD COLUMN guardrails text;
            """),
        (3, """
            ALTER TABLE request_logs ADD COLUMN routing text;
            """),
    ];

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Applies pending migrations under the schema's advisory lock.</summary>
    public static async Task MigrateAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(hashtextextended('gatehouse.migrate.' || @schema, 0))", cancellationToken, database.Schema);
        try
        {
            await ExecuteAsync(connection, null, $"CREATE SCHEMA IF NOT EXISTS \"{database.Schema}\"", cancellationToken);
            await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
            foreach (var (version, sql) in Migrations)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var check = new NpgsqlCommand("SELECT count(*) FROM schema_migrations WHERE version = @v", connection, transaction))
                {
                    check.Parameters.AddWithValue("v", version);
                    if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
                    {
                        continue;
                    }
                }

                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES (@v)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", version);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(hashtextextended('gatehouse.migrate.' || @schema, 0))", CancellationToken.None, database.Schema);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, string? schema = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (schema is not null)
        {
            command.Parameters.AddWithValue("schema", schema);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
