using Gatehouse.Core;
using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Identity.Jwt;
using Gatehouse.Governance.Vault;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Admin;
using Gatehouse.Server.Config;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Http;
using Gatehouse.Server.Inspection;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Runtime;
using Gatehouse.Server.Telemetry;
using Gatehouse.Storage.Governance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Hosting;

/// <summary>Builds the gateway web application: services, Kestrel, and the data, control and health endpoints.</summary>
public static partial class GatewayHost
{
    private static readonly HashSet<string> PostRoutes = ["/v1/chat/completions", "/v1/messages", "/v1/embeddings"];

    /// <summary>Builds (does not start) the application. Throws <see cref="ConfigException"/> on an invalid config.</summary>
    public static WebApplication Build(GatewayHostOptions options, string[]? args = null)
    {
        var config = options.ConfigPath is not null
            ? new ConfigLoader().LoadFile(options.ConfigPath)
            : options.Config ?? DefaultConfig.Create();
        if (options.Listen is not null)
        {
            config.Server.Listen = options.Listen;
        }

        if (!ListenAddress.TryParse(config.Server.Listen, out var listen))
        {
            throw new ConfigException([new ConfigError(config.Source, 0, 0, $"'server.listen' must be host:port; got \"{config.Server.Listen}\".")]);
        }

        if (config.Server.InlineIo)
        {
            // Socket completions run on the epoll threads instead of being queued to the thread pool. The runtime reads
            // this once, when the first socket is made: it must be set before anything connects (the Redis client below).
            // Kestrel's own inline scheduling (SocketTransportOptions.UnsafePreferInlineScheduling) is left off on
            // purpose: with it on as well, one pinned core served fewer requests, not more (docs/benchmarks.md).
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        var handlers = new HandlerCache(options.Time);
        var compiler = new SnapshotCompiler(handlers);
        var snapshots = new SnapshotHolder(compiler.Compile(config));

        // The content root is the binary's folder, not the working directory that holds the SQLite file, and no
        // appsettings files are read: nothing watches the data directory (a watcher there wakes on every write).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // ASP.NET Core starts an Activity for every request whenever its hosting logger is enabled at any level, only
        // to give log scopes a trace id: an object, an ExecutionContext change and an AsyncLocal write per request.
        // Its messages are per-request chatter the request log already covers (start-up failures are logged by the
        // generic host's own category). The gateway registers no ActivityListener and sends no trace context to
        // upstreams (System.Net.Http.EnableActivityPropagation is off in src/Gatehouse), so nothing used the Activity.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = config.Server.MaxBodyBytes + 1;
            kestrel.Listen(listen.Address, listen.Port);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.Server.ShutdownTimeout);

        var services = builder.Services;
        services.AddSingleton(options.Time);
        services.AddSingleton(handlers);
        services.AddSingleton(compiler);
        services.AddSingleton(snapshots);
        services.AddSingleton<GatewayMetrics>();
        var (stores, redis) = SharedStateServices.Open(config);
        SharedStateServices.AddStores(services, stores, redis);
        services.AddSingleton<RequestLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestLogWriter>());
        services.AddSingleton<ExchangeRecorder>();
        services.AddSingleton<UsageAccounting>();
        services.AddSingleton<UnaryRelay>();
        services.AddSingleton<StreamRelay>();
        services.AddSingleton<TargetStates>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<HealthChecker>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthChecker>());
        AddGovernance(services, config, listen.IsLoopback, VaultKeys.Create(options.MasterKeys));
        SharedStateServices.AddCounters(services, config.Redis, redis);
        AddInspection(services);
        services.AddSingleton<ChatPipeline>();
        services.AddSingleton<EmbeddingsPipeline>();
        services.AddSingleton<ModelsEndpoint>();
        services.AddSingleton<RequestLogEndpoint>();
        services.AddSingleton<RoutingEndpoint>();
        if (options.ConfigPath is not null)
        {
            services.AddSingleton(sp => new ConfigReloader(options.ConfigPath, snapshots, compiler, sp.GetRequiredService<GatewayMetrics>(), sp.GetRequiredService<ILogger<ConfigReloader>>()));
            if (options.WatchConfig)
            {
                services.AddHostedService(sp => sp.GetRequiredService<ConfigReloader>());
            }
        }

        var app = builder.Build();
        SharedStateServices.Initialize(app.Services);
        var identifier = app.Services.GetRequiredService<CallerIdentifier>();
        if (identifier.IsOpenMode)
        {
            LogOpenMode(app.Logger, config.Server.Listen);
        }
        else if (!app.Services.GetRequiredService<GovernanceState>().Current.HasKeys)
        {
            LogNoKeys(app.Logger, config.Server.Listen);
        }

        app.UseMiddleware<ExceptionShieldingMiddleware>();
        MapEndpoints(app);
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        var chat = app.Services.GetRequiredService<ChatPipeline>();
        var embeddings = app.Services.GetRequiredService<EmbeddingsPipeline>();
        var models = app.Services.GetRequiredService<ModelsEndpoint>();
        var logs = app.Services.GetRequiredService<RequestLogEndpoint>();
        var metrics = app.Services.GetRequiredService<GatewayMetrics>();
        var snapshots = app.Services.GetRequiredService<SnapshotHolder>();

        app.MapPost("/v1/chat/completions", http => chat.HandleAsync(http, Dialect.OpenAiChat, "/v1/chat/completions"));
        app.MapPost("/v1/messages", http => chat.HandleAsync(http, Dialect.AnthropicMessages, "/v1/messages"));
        app.MapPost("/v1/embeddings", embeddings.HandleAsync);
        app.MapGet("/v1/models", models.ListAsync);
        app.MapGet("/v1/models/{**id}", models.GetAsync);
        app.MapGet("/healthz", http => http.Response.WriteAsync("{\"status\":\"ok\"}"));
        app.MapGet("/readyz", http => Health.ReadyAsync(http, snapshots));
        var targetStates = app.Services.GetRequiredService<TargetStates>();
        app.MapGet("/metrics", http =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return http.Response.WriteAsync(metrics.Render() + TargetMetrics.Render(targetStates));
        });
        var admin = app.Services.GetRequiredService<AdminEndpoints>();
        admin.Map(app);
        app.MapGet("/admin/api/requests", admin.Authenticated(Gatehouse.Governance.Policies.PolicyActions.AdminLogsRead, (http, _) => logs.QueryAsync(http)));
        var routing = app.Services.GetRequiredService<RoutingEndpoint>();
        app.MapGet("/admin/api/routing", admin.Authenticated(Gatehouse.Governance.Policies.PolicyActions.AdminConfigRead, (http, _) => routing.ListAsync(http)));
        app.MapFallback(UnknownEndpointAsync);
    }

    private static async Task UnknownEndpointAsync(HttpContext http)
    {
        var dialect = http.Request.Path.StartsWithSegments("/v1/messages", StringComparison.Ordinal) ? Dialect.AnthropicMessages : Dialect.OpenAiChat;
        if (PostRoutes.Contains(http.Request.Path.Value ?? string.Empty))
        {
            http.Response.Headers.Allow = "POST";
            await ErrorResponder.WriteAsync(http, dialect, new GatewayError(ErrorKind.InvalidRequest, $"{http.Request.Path} accepts POST only.", "method_not_allowed") { StatusOverride = 405 });
            return;
        }

        await ErrorResponder.WriteAsync(http, dialect, new GatewayError(
            ErrorKind.NotFound,
            $"No endpoint {http.Request.Method} {http.Request.Path}. The gateway serves POST /v1/chat/completions, POST /v1/messages, POST /v1/embeddings and GET /v1/models.",
            "unknown_endpoint"));
    }

    private static void AddGovernance(IServiceCollection services, GatewayConfig config, bool loopbackOnly, SecretVault? vault)
    {
        services.AddSingleton(sp => new GovernanceState(sp.GetRequiredService<IGovernanceStore>(), vault));
        services.AddSingleton<GovernanceRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<GovernanceRefresher>());
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<IAuditAppender>(sp => sp.GetRequiredService<AuditWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        services.AddSingleton<BudgetSpendWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<BudgetSpendWriter>());
        services.AddSingleton<WebhookSender>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        services.AddSingleton(sp => new BudgetAlerts(
            sp.GetRequiredService<GatewayMetrics>(), sp.GetRequiredService<ILogger<BudgetAlerts>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WebhookSender>(), config.Governance.BudgetAlertWebhook));
        services.AddSingleton(config.Governance.Anomaly);
        services.AddSingleton<AnomalyMonitor>();
        if (config.Governance.Jwt.Count > 0)
        {
            // Issuers are read at start; changing them needs a restart (their keys are cached per issuer).
            services.AddKeyedSingleton("jwks", (_, _) => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) });
            services.AddSingleton(sp => new JwtBearerValidator(config.Governance.Jwt, sp.GetRequiredKeyedService<HttpClient>("jwks"), sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton(sp => new CallerIdentifier(sp.GetRequiredService<GovernanceState>(), sp.GetRequiredService<TimeProvider>(), loopbackOnly, sp.GetService<JwtBearerValidator>()));
        services.AddSingleton<PolicyEvaluator>();
        services.AddSingleton<AdmissionControl>();
        services.AddSingleton<GovernanceGate>();
        services.AddSingleton<AdminAuthenticator>();
        services.AddSingleton<KeyAdministration>();
        services.AddSingleton<DirectoryAdministration>();
        services.AddSingleton<SpendAdministration>();
        services.AddSingleton<AuditAdministration>();
        services.AddSingleton<PolicyAdministration>();
        services.AddSingleton<CredentialAdministration>();
        services.AddSingleton<AdminPolicyCheck>();
        services.AddSingleton<AdminEndpoints>();
    }

    /// <summary>Guardrails: the runner of the inspect-in and inspect-out stages and the audit of refusals (detectors live in the snapshot).</summary>
    private static void AddInspection(IServiceCollection services)
    {
        services.AddSingleton<GuardrailAudit>();
        services.AddSingleton<GuardrailRunner>();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OPEN MODE: no API key exists, so clients on this machine need no key (others are refused). Create one with `gatehouse keys create` and every request will need a key. Listening on {Listen}.")]
    private static partial void LogOpenMode(ILogger logger, string listen);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening on {Listen} beyond loopback with no API key: every request is refused until you create one with `gatehouse keys create --role admin`.")]
    private static partial void LogNoKeys(ILogger logger, string listen);
}
