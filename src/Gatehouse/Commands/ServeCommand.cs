using System.Net.Sockets;
using Gatehouse.Server.Config;
using Gatehouse.Server.Hosting;
using Microsoft.AspNetCore.Connections;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse serve</c>: runs the gateway until SIGTERM or Ctrl-C, then drains in-flight requests.</summary>
public static class ServeCommand
{
    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(Arguments args)
    {
        args.Allow("config", "listen");
        try
        {
            var app = GatewayHost.Build(new GatewayHostOptions { ConfigPath = args.Get("config"), Listen = args.Get("listen") });
            await app.RunAsync();
            return 0;
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException or SocketException || ex.InnerException?.InnerException is SocketException)
        {
            // Kestrel could not bind (in use, or a privileged port): say which address and what to do.
            await Console.Error.WriteLineAsync($"gatehouse: cannot listen: {ex.Message} Stop whatever holds the address, or choose another with --listen HOST:PORT or server.listen.");
            return 1;
        }
        catch (SocketException ex)
        {
            // Kestrel throws this one unwrapped when the address is not one of this machine's.
            await Console.Error.WriteLineAsync($"gatehouse: cannot listen on the configured address: {ex.Message}. Choose an address of this machine with --listen HOST:PORT or server.listen.");
            return 1;
        }
        catch (ConfigException ex)
        {
            foreach (var error in ex.Errors)
            {
                await Console.Error.WriteLineAsync(error.ToString());
            }

            return 1;
        }
    }
}
