using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gatehouse.IntegrationTests.Harness;

/// <summary>
/// A redis-server of the test's own, on a free port, that the test can kill and start again to simulate an outage
/// without disturbing the shared Redis other tests use.
/// </summary>
public sealed class OwnRedisServer : IAsyncDisposable
{
    private Process? _process;

    private OwnRedisServer(int port) => Port = port;

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public static async Task<OwnRedisServer> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new OwnRedisServer(port);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again) and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server", ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start; run scripts/services.sh");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer");
    }

    /// <summary>Kills the server at once (its data is gone, like a crash without persistence).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
