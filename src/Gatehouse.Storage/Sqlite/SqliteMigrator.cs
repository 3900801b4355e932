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
