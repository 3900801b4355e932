using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Admin;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>Admin actions under policies: opted into by naming an admin action; the CLI stays the break-glass.</summary>
public sealed class AdminPolicyTests
{
    [Fact]
    public async Task Once_a_policy_names_admin_actions_an_admin_role_also_needs_a_permit()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var admin = await host.AdminKeyAsync();
        Assert.Equal(201, (await host.SendAsync(HttpMethod.Post, "/admin/api/teams", """{"id":"platform"}""", admin)).Status);
        var platformAdmin = await host.AdminKeyAsync("admin", "platform");

        // Model policies alone leave admin actions to roles.
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Put, "/admin/api/policies/models", "policies:\n  - id: all-models\n    effect: permit\n    principal: any\n    action: any\n    resource: any\n", admin)).Status);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "/admin/api/keys", key: admin)).Status);

        Assert.Equal(200, (await host.SendAsync(HttpMethod.Put, "/admin/api/policies/admins", "policies:\n  - id: only-platform-reads-audit\n    effect: forbid\n    principal: any\n    action: admin:audit.read\n    resource: any\n    when: principal.team != \"platform\"\n", admin)).Status);
        var (denied, json, _) = await host.SendAsync(HttpMethod.Get, "/admin/api/audit", key: admin);
        Assert.Equal(403, denied);
        Assert.Equal("policy_denied", json.ErrorCode());
        Assert.Contains("only-platform-reads-audit", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "/admin/api/audit", key: platformAdmin)).Status);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "/admin/api/keys", key: admin)).Status);

        // The command line on the gateway's machine is not subject to policies: it can always undo a lockout.
        var policies = host.App.Services.GetRequiredService<PolicyAdministration>();
        Assert.Null((await policies.DeleteAsync(AdminCaller.Cli, "admins", CancellationToken.None)).Error);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "/admin/api/audit", key: admin)).Status);
    }
}
