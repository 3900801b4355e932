using Gatehouse.Governance.Budgets;
using Gatehouse.Governance.RateLimits;
using Gatehouse.Server.Config;
using Gatehouse.Server.Governance;
using Gatehouse.Storage;
using Gatehouse.Storage.Counters;
using Gatehouse.Storage.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Registers where state lives: the stores <c>storage.url</c> names (SQLite, or PostgreSQL with its change
/// listener) and the counters — in process, or in Redis behind the configured failure mode, with change
/// announcements on Redis pub/sub.
/// </summary>
internal static class SharedStateServices
{
    /// <summary>Opens the stores and (when configured) connects to Redis; throws <see cref="ConfigException"/> on a malformed URL.</summary>
    public static (StoreSet Stores, RedisConnection? Redis) Open(GatewayConfig config)
    {
        try
        {
            var stores = StoreSet.Open(config.Storage.Url);
            var redis = config.Redis is { } r ? RedisConnection.ConnectAsync(r.Url, r.KeyPrefix).GetAwaiter().GetResult() : null;
            return (stores, redis);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException([new ConfigError(config.Source, 0, 0, ex.Message)]);
        }
    }

    public static void AddStores(IServiceCollection services, StoreSet stores, RedisConnection? redis)
    {
        services.AddSingleton(_ => stores);
        services.AddSingleton(stores.Audit);
        services.AddSingleton(stores.RequestLogs);
        services.AddSingleton(redis is null ? stores.Governance : new RedisAnnouncingGovernanceStore(stores.Governance, redis));
        if (stores.Postgres is { } postgres)
        {
            services.AddSingleton(postgres);
            services.AddHostedService<PostgresChangeListener>();
        }
    }

    public static void AddCounters(IServiceCollection services, RedisConfig? config, RedisConnection? redis)
    {
        services.AddSingleton(sp => new InProcessBudgetCounter(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<BudgetSpendWriter>()));
        services.AddSingleton(sp => new InProcessRateLimitCounter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<InProcessConcurrencyCounter>();
        if (config is null || redis is null)
        {
            services.AddSingleton<IBudgetCounter>(sp => sp.GetRequiredService<InProcessBudgetCounter>());
            services.AddSingleton<IRateLimitCounter>(sp => sp.GetRequiredService<InProcessRateLimitCounter>());
            services.AddSingleton<IConcurrencyCounter>(sp => sp.GetRequiredService<InProcessConcurrencyCounter>());
            return;
        }

        services.AddSingleton(_ => redis);
        services.AddSingleton(new CounterHealth(config.FailureMode));
        services.AddSingleton(sp => new RedisBudgetCounter(redis, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<BudgetSpendWriter>()));
        services.AddSingleton(new RedisConcurrencyCounter(redis));
        services.AddSingleton<IBudgetCounter>(sp => new FailoverBudgetCounter(
            sp.GetRequiredService<RedisBudgetCounter>(), sp.GetRequiredService<InProcessBudgetCounter>(), sp.GetRequiredService<CounterHealth>()));
        services.AddSingleton<IRateLimitCounter>(sp => new FailoverRateLimitCounter(
            new RedisRateLimitCounter(redis), sp.GetRequiredService<InProcessRateLimitCounter>(), sp.GetRequiredService<CounterHealth>()));
        services.AddSingleton<IConcurrencyCounter>(sp => new FailoverConcurrencyCounter(
            sp.GetRequiredService<RedisConcurrencyCounter>(), sp.GetRequiredService<InProcessConcurrencyCounter>(), sp.GetRequiredService<CounterHealth>()));
        services.AddSingleton<SharedCounterMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<SharedCounterMaintenance>());
        services.AddHostedService<RedisChangeSubscriber>();
    }

    /// <summary>Migrates the schema, loads the directory and seeds the counters with journaled spend.</summary>
    public static void Initialize(IServiceProvider services)
    {
        var stores = services.GetRequiredService<StoreSet>();
        stores.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        var state = services.GetRequiredService<GovernanceState>();
        state.RefreshAsync(force: true, CancellationToken.None).GetAwaiter().GetResult();

        // In process: the only counter. With Redis: the fallback of failure_mode open, starting from the journal.
        var budgets = services.GetRequiredService<InProcessBudgetCounter>();
        foreach (var (account, nanoUsd, tokens) in stores.Governance.ListSpendAsync(CancellationToken.None).GetAwaiter().GetResult())
        {
            budgets.Seed(account, nanoUsd, tokens);
        }

        services.GetService<SharedCounterMaintenance>()?.SeedAtStartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }
}
