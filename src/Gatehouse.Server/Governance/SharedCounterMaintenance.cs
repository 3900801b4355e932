using Gatehouse.Governance.Budgets;
using Gatehouse.Storage.Counters;
using Gatehouse.Storage.Governance;
using Gatehouse.Storage.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Keeps the Redis counters healthy: renews this replica's concurrency leases, seeds budget spend from the SQL journal
/// at start and whenever the connection comes back (a flushed or restarted Redis gets its spend back once), and logs
/// each outage and recovery of the counters once.
/// </summary>
public sealed partial class SharedCounterMaintenance : BackgroundService
{
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);
    private readonly RedisConnection _redis;
    private readonly RedisConcurrencyCounter _concurrency;
    private readonly RedisBudgetCounter _budgets;
    private readonly CounterHealth _health;
    private readonly GovernanceState _state;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedCounterMaintenance> _logger;
    private int _seedPending = 1;

    /// <summary>Creates the service.</summary>
    public SharedCounterMaintenance(
        RedisConnection redis, RedisConcurrencyCounter concurrency, RedisBudgetCounter budgets, CounterHealth health, GovernanceState state, TimeProvider time, ILogger<SharedCounterMaintenance> logger)
    {
        _redis = redis;
        _concurrency = concurrency;
        _budgets = budgets;
        _health = health;
        _state = state;
        _time = time;
        _logger = logger;
        _health.Changed += OnHealthChanged;
        _redis.Multiplexer.ConnectionRestored += (_, _) => Volatile.Write(ref _seedPending, 1);
    }

    /// <summary>
    /// Seeds before the gateway serves (so no request's spend is both in Redis and in the journal being seeded); when
    /// Redis is down at start, the background loop seeds once it answers.
    /// </summary>
    public async Task SeedAtStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SeedAsync(_state.Store, cancellationToken);
            Volatile.Write(ref _seedPending, 0);
        }
        catch (Exception ex) when (CounterHealth.IsOutage(ex))
        {
            _health.Failed(ex);
        }
    }

    /// <summary>Adds the journaled spend of current budget windows to Redis unless it was seeded since it last lost its data.</summary>
    public async Task SeedAsync(IGovernanceStore store, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var journaled = new Dictionary<string, (long NanoUsd, long Tokens)>(StringComparer.Ordinal);
        foreach (var (account, nanoUsd, tokens) in await store.ListSpendAsync(cancellationToken))
        {
            journaled[account] = (nanoUsd, tokens);
        }

        var seed = CurrentWindows(_state.Current.Budgets, journaled, now);
        if (await _budgets.SeedAsync(seed))
        {
            LogSeeded(_logger, seed.Count);
        }
    }

    /// <summary>
    /// The journaled spend to put back into Redis: each budget's current window, and for a per-session template
    /// (scope <c>session:agent:ID</c>) the current window of every session journaled under it.
    /// </summary>
    public static List<(string Account, long NanoUsd, long Tokens, long TimeToLive)> CurrentWindows(
        IEnumerable<BudgetLimit> budgets, Dictionary<string, (long NanoUsd, long Tokens)> journaled, DateTimeOffset now)
    {
        var seed = new List<(string, long, long, long)>();
        foreach (var budget in budgets)
        {
            var account = InProcessBudgetCounter.AccountOf(budget, now);
            var ttl = RedisBudgetCounter.TimeToLive(budget, now);
            if (journaled.Remove(account, out var spent))
            {
                seed.Add((account, spent.NanoUsd, spent.Tokens, ttl));
            }

            if (!budget.Scope.StartsWith("session:agent:", StringComparison.Ordinal))
            {
                continue;
            }

            // Session accounts are "<template id>#<session>@<window start>" (AdmissionControl names them).
            var prefix = budget.Id + "#";
            var window = account[account.LastIndexOf('@')..];
            foreach (var (session, sessionSpent) in journaled.Where(j => j.Key.StartsWith(prefix, StringComparison.Ordinal) && j.Key.EndsWith(window, StringComparison.Ordinal)).ToList())
            {
                journaled.Remove(session);
                seed.Add((session, sessionSpent.NanoUsd, sessionSpent.Tokens, ttl));
            }
        }

        return seed;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        var sinceRenew = TimeSpan.Zero;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (Interlocked.Exchange(ref _seedPending, 0) == 1)
                {
                    await SeedAsync(_state.Store, stoppingToken);
                }

                sinceRenew += TimeSpan.FromSeconds(1);
                if (sinceRenew >= RenewEvery)
                {
                    sinceRenew = TimeSpan.Zero;
                    await _concurrency.RenewAsync();
                }
            }
            catch (Exception ex) when (CounterHealth.IsOutage(ex) || ex is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
            {
                Volatile.Write(ref _seedPending, 1);
                _health.Failed(ex);
            }
        }
    }

    private void OnHealthChanged(Exception? failure)
    {
        if (failure is null)
        {
            Volatile.Write(ref _seedPending, 1);
            LogRecovered(_logger, _redis.Description);
        }
        else if (_health.Mode == CounterFailureMode.Closed)
        {
            LogDownClosed(_logger, _redis.Description, failure);
        }
        else
        {
            LogDownOpen(_logger, _redis.Description, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis at {Redis} is unreachable: requests that need rate-limit or budget counters get 503 governance_unavailable until it returns (failure_mode: closed).")]
    private static partial void LogDownClosed(ILogger logger, string redis, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis at {Redis} is unreachable: counting limits and budgets in this replica only until it returns (failure_mode: open).")]
    private static partial void LogDownOpen(ILogger logger, string redis, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {Redis} answers again: shared counters are back in use.")]
    private static partial void LogRecovered(ILogger logger, string redis);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded budget spend of {Accounts} window accounts into Redis from the SQL journal.")]
    private static partial void LogSeeded(ILogger logger, int accounts);
}
