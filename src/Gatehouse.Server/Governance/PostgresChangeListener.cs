using Gatehouse.Storage.Postgres;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Listens on <c>gatehouse_changes</c> over its own PostgreSQL connection and reloads the governance directory at
/// once when another replica (or the CLI) commits a change. It reconnects with back-off after a failure and reloads
/// on every (re)connect, since notifications sent while it was away are lost; the version poll stays as a fallback.
/// </summary>
public sealed partial class PostgresChangeListener : BackgroundService
{
    private readonly PostgresDatabase _database;
    private readonly GovernanceState _state;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresChangeListener> _logger;

    /// <summary>Creates the listener.</summary>
    public PostgresChangeListener(PostgresDatabase database, GovernanceState state, TimeProvider time, ILogger<PostgresChangeListener> logger)
    {
        _database = database;
        _state = state;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenListenerAsync(stoppingToken);
                connection.Notification += (_, _) => _ = _state.TryRefreshAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDatabase.ChangeChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (failing)
                {
                    LogListening(_logger);
                    failing = false;
                }

                backoff = TimeSpan.FromMilliseconds(250);
                await _state.TryRefreshAsync(stoppingToken);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                if (!failing)
                {
                    LogListenFailed(_logger, ex);
                    failing = true;
                }

                await Task.Delay(backoff, _time, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the PostgreSQL change listener; reconnecting (changes still arrive through the 500 ms poll).")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for governance changes on PostgreSQL again.")]
    private static partial void LogListening(ILogger logger);
}
