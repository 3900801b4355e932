using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>Shortcuts for governance tests: an admin key made the way the CLI makes it.</summary>
public static class GovernanceTestHost
{
    public static async Task<string> AdminKeyAsync(this GatewayTestHost host, string role = "admin", string? team = null)
    {
        var keys = host.App.Services.GetRequiredService<KeyAdministration>();
        var result = await keys.CreateAsync(AdminCaller.Cli, new KeyCreateRequest { Roles = [role], TeamId = team }, CancellationToken.None);
        return result.Value?.Key ?? throw new InvalidOperationException(result.Error!.Message);
    }

    /// <summary>Whether the gateway's shared counters reported an outage on their last call.</summary>
    public static bool CountersDown(this GatewayTestHost host) =>
        host.App.Services.GetService<Gatehouse.Storage.Counters.CounterHealth>() is { IsDown: true };
}
