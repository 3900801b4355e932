using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Runtime;
using Gatehouse.Server.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Gatehouse.IntegrationTests.Config;

/// <summary>Live reload: a valid file swaps the snapshot; an invalid one is rejected and the old one keeps serving.</summary>
public sealed class ConfigReloadTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"gatehouse-reload-{Guid.NewGuid():n}.yaml");
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_path, Yaml("fast"));
        _host = await GatewayTestHost.StartAsync(configPath: _path);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_path);
    }

    [Fact]
    public async Task A_valid_change_is_applied_and_an_invalid_one_is_rejected()
    {
        Assert.Equal(200, (int)(await Ask("fast")).StatusCode);
        Assert.Equal(404, (int)(await Ask("quick")).StatusCode);
        var reloader = _host.App.Services.GetRequiredService<ConfigReloader>();

        await File.WriteAllTextAsync(_path, Yaml("quick"));
        Assert.True(await reloader.ReloadAsync("test"));
        Assert.Equal(200, (int)(await Ask("quick")).StatusCode);
        Assert.Equal(404, (int)(await Ask("fast")).StatusCode);

        await File.WriteAllTextAsync(_path, Yaml("broken") + "  - name: oops\n    kind: nonsense\n");
        Assert.False(await reloader.ReloadAsync("test"));
        Assert.Equal(200, (int)(await Ask("quick")).StatusCode);
        var metrics = await _host.Client.GetStringAsync("/metrics");
        Assert.Contains("gatehouse_config_reloads_total{result=\"failure\"} ", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_that_needs_a_restart_is_applied_to_the_rest_and_says_so()
    {
        var logger = new RecordingLogger();
        var reloader = new ConfigReloader(_path, _host.App.Services.GetRequiredService<SnapshotHolder>(), _host.App.Services.GetRequiredService<SnapshotCompiler>(), _host.App.Services.GetRequiredService<GatewayMetrics>(), logger);
        await File.WriteAllTextAsync(_path, Yaml("fast"));
        Assert.True(await reloader.ReloadAsync("test")); // the file's storage.url now names the test's directory
        logger.Messages.Clear();
        Assert.True(await reloader.ReloadAsync("test"));
        Assert.DoesNotContain(logger.Messages, m => m.Contains("restart", StringComparison.Ordinal));

        await File.WriteAllTextAsync(_path, "server:\n  inline_io: true\n" + Yaml("quick"));
        Assert.True(await reloader.ReloadAsync("test"));

        Assert.Contains("server.listen, server.inline_io and storage.url changes take effect only after a restart.", logger.Messages);
        Assert.Equal(200, (int)(await Ask("quick")).StatusCode);
    }

    [Fact]
    public async Task The_file_watcher_picks_up_a_change()
    {
        // Replace the file atomically, as editors and deploy tools do: an in-place write on a loaded machine can be
        // seen half-written by the watcher (a valid but partial config), which then reloads again when it completes.
        var staged = _path + ".staged";
        await File.WriteAllTextAsync(staged, Yaml("watched"));
        File.Move(staged, _path, overwrite: true);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var status = 0;
        while (status != 200 && !deadline.IsCancellationRequested)
        {
            await Task.Delay(50);
            status = (int)(await Ask("watched")).StatusCode;
        }

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task A_reload_drops_no_request_under_way()
    {
        var slow = new Gatehouse.IntegrationTests.Fakes.FakeOpenAi("sk-test-slow-0123456789");
        await using var slowServer = await FakeServer.StartAsync(slow);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slow.Enqueue(async http =>
        {
            await release.Task;
            http.Response.ContentType = "application/json";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(http.Response, """{"id":"chatcmpl-held","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"finally"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""");
        });
        var reloader = _host.App.Services.GetRequiredService<ConfigReloader>();
        var slowProvider = $"  - {{ name: slow, kind: openai, base_url: \"{new Uri(slowServer.Url, "/v1")}\", api_key: sk-test-slow-0123456789 }}\n";
        var withHeld = Yaml("fast").Replace("providers:\n", "providers:\n" + slowProvider, StringComparison.Ordinal)
            + "\n  - name: held\n    targets:\n      - { provider: slow, model: gpt-4o-mini }\n";
        await File.WriteAllTextAsync(_path, withHeld);
        Assert.True(await reloader.ReloadAsync("test"));

        var pending = Ask("held");
        await slow.WaitForRequestsAsync(1);

        // The group goes away while its request is under way: new requests no longer find it, the old one finishes
        // on the snapshot it started with.
        await File.WriteAllTextAsync(_path, Yaml("fast"));
        Assert.True(await reloader.ReloadAsync("test"));
        Assert.Equal(404, (int)(await Ask("held")).StatusCode);
        Assert.False(pending.IsCompleted);

        release.SetResult();
        var response = await pending;
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("finally", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> Ask(string model) =>
        _host.Client.PostAsync("/v1/chat/completions", new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"x"}]}"""));

    private string Yaml(string alias) => $"""
        storage:
          url: sqlite://{Path.Combine(_host?.Directory ?? Path.GetTempPath(), $"reload-{Path.GetFileNameWithoutExtension(_path)}.db")}
        providers:
          - name: mock
            kind: mock
        models:
          - name: {alias}
            targets:
              - {"{"} provider: mock, model: gatehouse-mock-1 {"}"}
        """;

    /// <summary>Keeps every message logged through it.</summary>
    private sealed class RecordingLogger : ILogger<ConfigReloader>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
