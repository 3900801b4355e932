using System.Net;
using BenchmarkDotNet.Attributes;
using Gatehouse.Governance.Budgets;
using Gatehouse.Governance.Policies;
using Gatehouse.Governance.RateLimits;
using Gatehouse.Server.Admin;
using Gatehouse.Server.Config;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Runtime;
using Gatehouse.Server.Telemetry;
using Gatehouse.Storage.Audit;
using Gatehouse.Storage.Redis;
using Gatehouse.Storage.Sqlite;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Benchmarks;

/// <summary>
/// What governance adds to one request on one node: identify by key, authorize (key restrictions and a 50-statement
/// policy set), admit (requests and tokens per minute, concurrency, a budget reservation) and settle — the same
/// objects the gateway runs, on an in-memory directory.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GovernanceBenchmarks
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gatehouse-bench-" + Guid.NewGuid().ToString("n"));
    private GovernanceGate _gate = null!;
    private GovernanceGate _redisGate = null!;
    private RedisConnection _redis = null!;
    private GatewaySnapshot _snapshot = null!;
    private GatewaySnapshot _snapshotWithPolicies = null!;
    private RouteTarget[] _targets = null!;
    private string _key = null!;
    private HandlerCache _handlers = null!;

    /// <summary>Creates a store with a team, a key with limits and a budget, and compiles the snapshots.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_directory);
        var time = TimeProvider.System;
        var database = new SqliteDatabase("sqlite://" + Path.Combine(_directory, "bench.db"));
        var store = new SqliteGovernanceStore(database);
        store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        var auditStore = new SqliteAuditStore(database);
        var state = new GovernanceState(store);
        state.RefreshAsync(true, CancellationToken.None).GetAwaiter().GetResult();
        var appender = new StoreAuditAppender(auditStore);
        new DirectoryAdministration(state, appender, time).CreateAsync(AdminCaller.Cli, Storage.Governance.EntityKind.Team, new EntityRequest { Id = "research" }, CancellationToken.None).GetAwaiter().GetResult();
        var created = new KeyAdministration(state, appender, time).CreateAsync(
            AdminCaller.Cli,
            new KeyCreateRequest { TeamId = "research", Rpm = 100_000_000, Tpm = 1_000_000_000_000, MaxConcurrent = 1_000_000, BudgetUsd = 1_000_000_000m },
            CancellationToken.None).GetAwaiter().GetResult();
        _key = created.Value!.Key!;

        _handlers = new HandlerCache(time);
        var compiler = new SnapshotCompiler(_handlers);
        var config = DefaultConfig.Create();
        _snapshot = compiler.Compile(config);
        var policyFile = Path.Combine(_directory, "policies.yaml");
        File.WriteAllText(policyFile, PolicyFile(50));
        var governed = DefaultConfig.Create();
        governed.Governance.PolicyFiles.Add((policyFile, 1, 1));
        _snapshotWithPolicies = compiler.Compile(governed);
        _targets = _snapshot.Resolve("mock/gatehouse-mock-1").Targets!;

        var metrics = new GatewayMetrics();
        var audit = new AuditWriter(auditStore, time, NullLogger<AuditWriter>.Instance);
        var admission = new AdmissionControl(state, new InProcessRateLimitCounter(time), new InProcessConcurrencyCounter(), new InProcessBudgetCounter(time), audit, new BudgetAlerts(metrics, NullLogger<BudgetAlerts>.Instance, time, new WebhookSender(NullLogger<WebhookSender>.Instance), null));
        var identifier = new CallerIdentifier(state, time, listensOnLoopbackOnly: true);
        _gate = new GovernanceGate(identifier, admission, audit, metrics, new PolicyEvaluator(NullLogger<PolicyEvaluator>.Instance), state, time);

        // The same with the shared counters of a multi-replica deployment, on the machine's Redis.
        var redisAddress = Environment.GetEnvironmentVariable("GATEHOUSE_TEST_REDIS") ?? "127.0.0.1:6379";
        _redis = RedisConnection.ConnectAsync("redis://" + redisAddress, "bench-" + Guid.NewGuid().ToString("n")[..8]).GetAwaiter().GetResult();
        var shared = new AdmissionControl(state, new RedisRateLimitCounter(_redis), new RedisConcurrencyCounter(_redis), new RedisBudgetCounter(_redis, time), audit, new BudgetAlerts(metrics, NullLogger<BudgetAlerts>.Instance, time, new WebhookSender(NullLogger<WebhookSender>.Instance), null));
        _redisGate = new GovernanceGate(identifier, shared, audit, metrics, new PolicyEvaluator(NullLogger<PolicyEvaluator>.Instance), state, time);
    }

    /// <summary>Removes the temporary store.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _handlers.Dispose();
        _redis.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Identify, authorize by key, admit and settle; no policy statements.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> KeyLimitsBudget() => await RunAsync(_gate, _snapshot);

    /// <summary>The same with a 50-statement policy set, two of them with CEL conditions that run.</summary>
    [Benchmark]
    public async Task<int> KeyLimitsBudgetPolicies() => await RunAsync(_gate, _snapshotWithPolicies);

    /// <summary>Key, limits and budget with the counters in Redis (three Lua calls to a local Redis on loopback).</summary>
    [Benchmark]
    public async Task<int> KeyLimitsBudgetRedis() => await RunAsync(_redisGate, _snapshot);

    private async Task<int> RunAsync(GovernanceGate gate, GatewaySnapshot snapshot)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "Bearer " + _key;
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        var exchange = new Exchange(http, "/v1/chat/completions", Protocol.Canonical.Dialect.OpenAiChat, snapshot, 0, DateTimeOffset.UnixEpoch);
        if (await gate.IdentifyAsync(exchange) is not null
            || await gate.AdmitAsync(exchange, PolicyActions.InvokeModel, "mock/gatehouse-mock-1", 40, 256, _targets, new CallFacts(false, false, false)) is not null)
        {
            throw new InvalidOperationException("refused");
        }

        exchange.Cost = 0.00001m;
        exchange.Usage = new Core.Usage(40, 100);
        await gate.SettleAsync(exchange);
        return exchange.Attempts;
    }

    private static string PolicyFile(int statements)
    {
        var text = new System.Text.StringBuilder("policies:\n");
        for (var i = 0; i < statements - 2; i++)
        {
            text.Append($"  - id: team-{i}\n    effect: permit\n    principal: {{ in: Team::team{i} }}\n    action: invoke_model\n    resource: any\n");
        }

        text.Append("  - id: research\n    effect: permit\n    principal: { in: Team::research }\n    action: [invoke_model, use_embeddings]\n    resource: any\n    when: context.hour >= 0 && context.estimated_tokens < 100000\n");
        text.Append("  - id: no-huge\n    effect: forbid\n    principal: any\n    action: invoke_model\n    resource: any\n    when: has(context.estimated_tokens) && context.estimated_tokens > 1000000\n");
        return text.ToString();
    }
}
