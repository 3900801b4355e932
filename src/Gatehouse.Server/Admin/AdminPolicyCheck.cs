using Gatehouse.Core;
using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Policies;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Admin;

/// <summary>
/// Admin actions under the policy set: once a statement names an admin action explicitly (<c>admin:keys.create</c>,
/// <c>admin:*</c>), every admin call by a key or token needs its role <em>and</em> a policy permit (default deny,
/// forbid overrides). The resource of an admin action is <c>Provider::gatehouse</c> (write <c>resource: any</c>).
/// Without such a statement, roles alone decide, so adding model policies never locks admins out.
/// </summary>
public sealed class AdminPolicyCheck
{
    /// <summary>The resource admin actions are evaluated against.</summary>
    public static readonly EntityRef Resource = new(EntityType.Provider, "gatehouse");

    private readonly PolicyEvaluator _policies;
    private readonly GovernanceState _state;
    private readonly AuditWriter _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the check.</summary>
    public AdminPolicyCheck(PolicyEvaluator policies, GovernanceState state, AuditWriter audit, TimeProvider time)
    {
        _policies = policies;
        _state = state;
        _audit = audit;
        _time = time;
    }

    /// <summary>Null when the caller may perform <paramref name="action"/>; the 403 otherwise.</summary>
    public GatewayError? Authorize(AdminCaller caller, string action, GatewaySnapshot snapshot, HttpContext http)
    {
        if (caller.Principal is not { } principal || _policies.SetFor(snapshot, _state.Current) is not { } set || !GovernsAdminActions(set))
        {
            return null;
        }

        var (entity, ancestors) = PolicyEvaluator.EntityOf(principal);
        var decision = set.Evaluate(new PolicyRequest
        {
            Principal = entity,
            PrincipalAncestors = ancestors,
            PrincipalTags = principal.Tags,
            PrincipalRoles = principal.Roles,
            Action = action,
            Resource = Resource,
            Context = new PolicyContext { Time = _time.GetUtcNow(), SourceIp = http.Connection.RemoteIpAddress?.ToString() },
        });
        if (decision.Allowed)
        {
            return null;
        }

        _audit.Enqueue(new AuditEntry
        {
            Time = _time.GetUtcNow(),
            Actor = caller.Actor,
            Action = action,
            Target = Resource.ToString(),
            Outcome = "denied",
            Reason = decision.Reason,
            SourceIp = caller.SourceIp,
            Details = string.Concat("{\"policies\":[", string.Join(',', decision.DeterminingPolicies.Select(p => "\"" + System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(p) + "\"")), "]}"),
        });
        return new GatewayError(ErrorKind.PermissionDenied, decision.Reason, "policy_denied");
    }

    private static bool GovernsAdminActions(PolicySet set)
    {
        foreach (var statement in set.Statements)
        {
            if (!statement.Action.IsAny && statement.Action.Written.Any(a => a.StartsWith(PolicyActions.AdminPrefix, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
