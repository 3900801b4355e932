using System.Runtime.InteropServices;
using Gatehouse.Server.Config;
using Gatehouse.Server.Runtime;
using Gatehouse.Server.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Reloads the configuration file when it changes and on SIGHUP. A valid file is compiled and swapped in for new
/// requests (in-flight requests keep their snapshot); an invalid one is rejected with every error logged, and the
/// running configuration keeps serving.
/// </summary>
public sealed partial class ConfigReloader : IHostedService, IDisposable
{
    private readonly string _path;
    private readonly SnapshotHolder _snapshots;
    private readonly SnapshotCompiler _compiler;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<ConfigReloader> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileSystemWatcher? _watcher;
    private PosixSignalRegistration? _sighup;
    private Timer? _debounce;

    /// <summary>Creates the reloader for a config file.</summary>
    public ConfigReloader(string path, SnapshotHolder snapshots, SnapshotCompiler compiler, GatewayMetrics metrics, ILogger<ConfigReloader> logger)
    {
        _path = Path.GetFullPath(path);
        _snapshots = snapshots;
        _compiler = compiler;
        _metrics = metrics;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _debounce = new Timer(_ => _ = ReloadAsync("file change"), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += OnFileEvent;
        _watcher.Created += OnFileEvent;
        _watcher.Renamed += OnFileEvent;
        _watcher.EnableRaisingEvents = true;
        if (!OperatingSystem.IsWindows())
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                _ = ReloadAsync("SIGHUP");
            });
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        _sighup?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Reloads now; returns whether the new configuration was applied.</summary>
    public async Task<bool> ReloadAsync(string reason)
    {
        await _gate.WaitAsync();
        try
        {
            var config = new ConfigLoader().LoadFile(_path);
            var current = _snapshots.Current.Config;
            if (config.Server.Listen != current.Server.Listen || config.Storage.Url != current.Storage.Url || config.Server.InlineIo != current.Server.InlineIo)
            {
                LogNeedsRestart(_logger);
            }

            _snapshots.Swap(_compiler.Compile(config));
            _metrics.ConfigReload(succeeded: true);
            LogReloaded(_logger, _path, reason, _snapshots.Generation);
            return true;
        }
        catch (ConfigException ex)
        {
            _metrics.ConfigReload(succeeded: false);
            LogRejected(_logger, _path, reason, ex.Errors.Count, string.Join(Environment.NewLine, ex.Errors));
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _watcher?.Dispose();
        _sighup?.Dispose();
        _debounce?.Dispose();
        _gate.Dispose();
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _debounce?.Change(250, Timeout.Infinite);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration {Path} reloaded ({Reason}); generation {Generation}")]
    private static partial void LogReloaded(ILogger logger, string path, string reason, int generation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration {Path} rejected ({Reason}); the previous configuration keeps serving. {Count} problem(s):\n{Errors}")]
    private static partial void LogRejected(ILogger logger, string path, string reason, int count, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "server.listen, server.inline_io and storage.url changes take effect only after a restart.")]
    private static partial void LogNeedsRestart(ILogger logger);
}
