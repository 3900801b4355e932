using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.Server.Config;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.IntegrationTests.Harness;

/// <summary>
/// A real gateway on Kestrel (127.0.0.1, free port) in front of fake upstreams, with a fresh SQLite file.
/// Providers: "openai" → <see cref="FakeOpenAi"/>, "claude" → <see cref="FakeAnthropic"/>, "gemini" → <see cref="FakeGemini"/>, "mock".
/// Virtual models: "smart" (openai/gpt-4o-mini, then claude/claude-sonnet-4-5) and "sturdy" (claude first, then openai).
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    public const string OpenAiKey = "sk-test-openai-0123456789";
    public const string AnthropicKey = "sk-ant-test-0123456789";
    public const string GeminiKey = "AIza-test-gemini-0123456789";

    private readonly List<FakeServer> _fakes;
    private readonly string _directory;

    private GatewayTestHost(WebApplication app, List<FakeServer> fakes, FakeOpenAi openAi, FakeAnthropic anthropic, FakeGemini gemini, string directory)
    {
        App = app;
        _fakes = fakes;
        OpenAi = openAi;
        Anthropic = anthropic;
        Gemini = gemini;
        _directory = directory;
        BaseUrl = FakeServer.ServerUrl(app);
        Client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    public FakeOpenAi OpenAi { get; }

    public FakeAnthropic Anthropic { get; }

    public FakeGemini Gemini { get; }

    public string Directory => _directory;

    /// <summary>Whether disposing deletes the directory (false when the test passed its own).</summary>
    public bool OwnsDirectory { get; init; } = true;

    public static async Task<GatewayTestHost> StartAsync(Action<GatewayConfig, Uri, Uri>? configure = null, TimeProvider? time = null, string? configPath = null, (string Current, string? Previous)? masterKeys = null, string? directory = null)
    {
        var openAi = new FakeOpenAi(OpenAiKey);
        var anthropic = new FakeAnthropic(AnthropicKey);
        var openAiServer = await FakeServer.StartAsync(openAi);
        var anthropicServer = await FakeServer.StartAsync(anthropic);
        var gemini = new FakeGemini(GeminiKey);
        var geminiServer = await FakeServer.StartAsync(gemini);
        var ownsDirectory = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "gatehouse-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        var config = new GatewayConfig
        {
            Source = "test",
            Storage = new StorageConfig { Url = $"sqlite://{Path.Combine(directory, "gatehouse.db")}" },
            Providers =
            [
                new ProviderConfig { Name = "openai", Kind = "openai", BaseUrl = new Uri(openAiServer.Url, "/v1").ToString(), ApiKey = OpenAiKey },
                new ProviderConfig { Name = "claude", Kind = "anthropic", BaseUrl = anthropicServer.Url.ToString(), ApiKey = AnthropicKey },
                new ProviderConfig { Name = "gemini", Kind = "gemini", BaseUrl = geminiServer.Url.ToString(), ApiKey = GeminiKey },
                new ProviderConfig { Name = "mock", Kind = "mock" },
            ],
            Models =
            [
                new ModelAliasConfig { Name = "smart", Targets = [new() { Provider = "openai", Model = "gpt-4o-mini" }, new() { Provider = "claude", Model = "claude-sonnet-4-5" }] },
                new ModelAliasConfig { Name = "sturdy", Targets = [new() { Provider = "claude", Model = "claude-sonnet-4-5" }, new() { Provider = "openai", Model = "gpt-4o-mini" }] },
            ],
        };
        configure?.Invoke(config, openAiServer.Url, anthropicServer.Url);
        var app = GatewayHost.Build(new GatewayHostOptions
        {
            Config = configPath is null ? config : null,
            ConfigPath = configPath,
            Listen = "127.0.0.1:0",
            Time = time ?? TimeProvider.System,
            MasterKeys = masterKeys ?? (string.Empty, null),
        });
        await app.StartAsync();
        return new GatewayTestHost(app, [openAiServer, anthropicServer, geminiServer], openAi, anthropic, gemini, directory) { OwnsDirectory = ownsDirectory };
    }

    /// <summary>
    /// The request log's <c>routing</c> object of the request <paramref name="response"/> answered, waited for: the
    /// record is written just after the answer's last byte has left, so one flush can come before it was queued.
    /// </summary>
    public async Task<System.Text.Json.JsonElement> RoutingLogAsync(HttpResponseMessage response)
    {
        var id = response.Headers.GetValues("x-request-id").Single();
        System.Text.Json.JsonElement routing = default;
        await Eventually.HoldsAsync(async () =>
        {
            await FlushLogsAsync();
            var data = System.Text.Json.JsonDocument.Parse(await Client.GetStringAsync("/admin/api/requests?since=1h")).RootElement.GetProperty("data");
            foreach (var record in data.EnumerateArray())
            {
                if (record.GetProperty("id").GetString() == id)
                {
                    routing = record.GetProperty("routing").Clone();
                    return true;
                }
            }

            return false;
        }, TimeSpan.FromSeconds(5));
        return routing;
    }

    /// <summary>
    /// The request log record <paramref name="match"/> picks (by default the only one of a <c>/v1/</c> route), waited for:
    /// the record is written just after the answer's last byte has left.
    /// </summary>
    public async Task<Gatehouse.Storage.RequestLogs.RequestLogRecord> SingleLogAsync(Func<Gatehouse.Storage.RequestLogs.RequestLogRecord, bool>? match = null)
    {
        match ??= static l => l.Route.StartsWith("/v1/", StringComparison.Ordinal);
        IReadOnlyList<Gatehouse.Storage.RequestLogs.RequestLogRecord> logs = [];
        await Eventually.HoldsAsync(async () =>
        {
            await FlushLogsAsync();
            logs = await App.Services.GetRequiredService<Gatehouse.Storage.RequestLogs.IRequestLogStore>()
                .QueryAsync(new Gatehouse.Storage.RequestLogs.RequestLogQuery { Limit = 20 }, CancellationToken.None);
            return logs.Any(match);
        }, TimeSpan.FromSeconds(5));
        return Xunit.Assert.Single(logs, l => match(l));
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> records of <c>/v1/</c> routes are stored: a record is queued just
    /// after the answer's last byte has left, so one flush right after a response can come before it.
    /// </summary>
    public async Task LogsStoredAsync(int count)
    {
        await Eventually.HoldsAsync(async () =>
        {
            await FlushLogsAsync();
            var logs = await App.Services.GetRequiredService<Gatehouse.Storage.RequestLogs.IRequestLogStore>()
                .QueryAsync(new Gatehouse.Storage.RequestLogs.RequestLogQuery { Limit = count + 20 }, CancellationToken.None);
            return logs.Count(l => l.Route.StartsWith("/v1/", StringComparison.Ordinal)) >= count;
        }, TimeSpan.FromSeconds(5));
    }

    /// <summary>Waits until the background writer has stored every request log record queued so far.</summary>
    public Task FlushLogsAsync() => App.Services.GetRequiredService<RequestLogWriter>().FlushAsync(CancellationToken.None);

    /// <summary>Waits until the audit writer has stored every entry queued so far.</summary>
    public Task FlushAuditAsync() => App.Services.GetRequiredService<Gatehouse.Server.Governance.AuditWriter>().FlushAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        foreach (var fake in _fakes)
        {
            await fake.DisposeAsync();
        }

        try
        {
            if (OwnsDirectory)
            {
                System.IO.Directory.Delete(_directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
