using Gatehouse.Core;
using Gatehouse.Server.Governance;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Admin;

/// <summary>
/// Who may use the admin API: a key with the admin, team-admin or auditor role — or, in open mode (no key ever
/// created, loopback listener), any caller on the gateway's own machine, so the first key can be created.
/// </summary>
public sealed class AdminAuthenticator
{
    private readonly CallerIdentifier _identifier;

    /// <summary>Creates the authenticator.</summary>
    public AdminAuthenticator(CallerIdentifier identifier) => _identifier = identifier;

    /// <summary>Authenticates the admin caller, or returns the 401/403.</summary>
    public async ValueTask<(AdminCaller? Caller, GatewayError? Error)> AuthenticateAsync(HttpContext http)
    {
        var (principal, error) = await _identifier.IdentifyAsync(http);
        if (error is not null)
        {
            return (null, error);
        }

        var ip = http.Connection.RemoteIpAddress?.ToString();
        if (principal!.Kind == PrincipalKind.Open)
        {
            return (new AdminCaller("open", AdminRole.Admin, null, ip), null);
        }

        if (principal.HasRole("admin"))
        {
            return (new AdminCaller(principal.Actor, AdminRole.Admin, null, ip, principal), null);
        }

        if (principal.HasRole("team-admin") && principal.TeamId is not null)
        {
            return (new AdminCaller(principal.Actor, AdminRole.TeamAdmin, principal.TeamId, ip, principal), null);
        }

        if (principal.HasRole("auditor"))
        {
            return (new AdminCaller(principal.Actor, AdminRole.Auditor, null, ip, principal), null);
        }

        return (null, new GatewayError(ErrorKind.PermissionDenied, "This key has no admin role (admin, team-admin or auditor).", "admin_role_required"));
    }
}
