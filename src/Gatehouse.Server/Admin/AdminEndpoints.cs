using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gatehouse.Core;
using Gatehouse.Governance.Policies;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Runtime;
using Gatehouse.Storage.Governance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.Server.Admin;

/// <summary>The admin REST API under <c>/admin/api</c>: keys, hierarchy, limits, budgets, audit, and its OpenAPI document.</summary>
public sealed class AdminEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;
    private readonly AdminAuthenticator _authenticator;
    private readonly KeyAdministration _keys;
    private readonly DirectoryAdministration _directory;
    private readonly SpendAdministration _spend;
    private readonly AuditAdministration _audit;
    private readonly PolicyAdministration _policies;
    private readonly CredentialAdministration _credentials;
    private readonly AnomalyMonitor _anomalies;
    private readonly AdminPolicyCheck _adminPolicies;
    private readonly PolicyEvaluator _evaluator;
    private readonly SnapshotHolder _snapshots;

    /// <summary>Creates the endpoints.</summary>
    public AdminEndpoints(
        AdminAuthenticator authenticator,
        KeyAdministration keys,
        DirectoryAdministration directory,
        SpendAdministration spend,
        AuditAdministration audit,
        PolicyAdministration policies,
        PolicyEvaluator evaluator,
        SnapshotHolder snapshots,
        CredentialAdministration credentials,
        AnomalyMonitor anomalies,
        AdminPolicyCheck adminPolicies)
    {
        _adminPolicies = adminPolicies;
        _anomalies = anomalies;
        _credentials = credentials;
        _policies = policies;
        _evaluator = evaluator;
        _snapshots = snapshots;
        _authenticator = authenticator;
        _keys = keys;
        _directory = directory;
        _spend = spend;
        _audit = audit;
    }

    /// <summary>Maps every admin route.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        var json = AdminJsonContext.Default;
        app.MapGet("/admin/api/openapi.json", http =>
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync(AdminOpenApi.Document);
        });
        app.MapGet("/admin/api/keys", Authenticated(PolicyActions.AdminKeysRead, (http, caller) => WriteAsync(http, 200, _keys.List(caller), json.IReadOnlyListKeyView)));
        app.MapPost("/admin/api/keys", Authenticated(PolicyActions.AdminKeysCreate, async (http, caller) =>
        {
            if (await ReadAsync(http, json.KeyCreateRequest) is var (request, error) && error is not null)
            {
                await FailAsync(http, error);
                return;
            }

            await AnswerAsync(http, 201, await _keys.CreateAsync(caller, request!, http.RequestAborted), json.KeyView);
        }));
        app.MapDelete("/admin/api/keys/{id}", Authenticated(PolicyActions.AdminKeysRevoke, async (http, caller) =>
            await AnswerAsync(http, 200, await _keys.RevokeAsync(caller, (string)http.GetRouteValue("id")!, http.RequestAborted), json.KeyView)));
        foreach (var kind in (ReadOnlySpan<EntityKind>)[EntityKind.Org, EntityKind.Team, EntityKind.User, EntityKind.Agent])
        {
            var path = $"/admin/api/{DirectoryAdministration.Name(kind)}s";
            app.MapGet(path, Authenticated(PolicyActions.AdminTeamsRead, (http, caller) => WriteAsync(http, 200, _directory.List(caller, kind), json.IReadOnlyListDirectoryEntity)));
            app.MapPost(path, Authenticated(PolicyActions.AdminTeamsWrite, async (http, caller) =>
            {
                if (await ReadAsync(http, json.EntityRequest) is var (request, error) && error is not null)
                {
                    await FailAsync(http, error);
                    return;
                }

                await AnswerAsync(http, 201, await _directory.CreateAsync(caller, kind, request!, http.RequestAborted), json.DirectoryEntity);
            }));
            app.MapDelete(path + "/{id}", Authenticated(PolicyActions.AdminTeamsWrite, async (http, caller) =>
                await AnswerAsync(http, 200, await _directory.DeleteAsync(caller, kind, (string)http.GetRouteValue("id")!, http.RequestAborted), json.DirectoryEntity)));
        }

        app.MapGet("/admin/api/limits", Authenticated(PolicyActions.AdminBudgetsRead, (http, caller) => WriteAsync(http, 200, _spend.ListLimits(caller), json.IReadOnlyListLimitRecord)));
        app.MapPut("/admin/api/limits", Authenticated(PolicyActions.AdminLimitsWrite, async (http, caller) =>
        {
            if (await ReadAsync(http, json.LimitRequest) is var (request, error) && error is not null)
            {
                await FailAsync(http, error);
                return;
            }

            await AnswerAsync(http, 200, await _spend.SetLimitAsync(caller, request!, http.RequestAborted), json.LimitRecord);
        }));
        app.MapGet("/admin/api/budgets", Authenticated(PolicyActions.AdminBudgetsRead, async (http, caller) => await WriteAsync(http, 200, await _spend.ListBudgetsAsync(caller, http.RequestAborted), json.IReadOnlyListBudgetView)));
        app.MapPut("/admin/api/budgets", Authenticated(PolicyActions.AdminBudgetsWrite, async (http, caller) =>
        {
            if (await ReadAsync(http, json.BudgetRequest) is var (request, error) && error is not null)
            {
                await FailAsync(http, error);
                return;
            }

            await AnswerAsync(http, 200, await _spend.SetBudgetAsync(caller, request!, http.RequestAborted), json.BudgetView);
        }));
        app.MapDelete("/admin/api/budgets/{id}", Authenticated(PolicyActions.AdminBudgetsWrite, async (http, caller) =>
            await AnswerAsync(http, 200, await _spend.DeleteBudgetAsync(caller, (string)http.GetRouteValue("id")!, http.RequestAborted), json.BudgetView)));
        app.MapGet("/admin/api/anomalies", Authenticated(PolicyActions.AdminAuditRead, (http, caller) => caller.Role == AdminRole.TeamAdmin
            ? FailAsync(http, AdminErrors.Forbidden("Anomalies are readable by admins and auditors."))
            : WriteAsync(http, 200, [.. _anomalies.Recent.Select(a => new AnomalyView { Identity = a.Identity, Signal = a.Signal, Score = a.Score, Reason = a.Reason, At = a.At })], json.ListAnomalyView)));
        app.MapGet("/admin/api/credentials", Authenticated(PolicyActions.AdminConfigRead, (http, caller) => WriteAsync(http, 200, _credentials.List(caller), json.IReadOnlyListCredentialView)));
        app.MapPut("/admin/api/credentials/{name}", Authenticated(PolicyActions.AdminCredentialsWrite, async (http, caller) =>
        {
            if (await ReadAsync(http, json.CredentialRequest) is var (request, error) && error is not null)
            {
                await FailAsync(http, error);
                return;
            }

            await AnswerAsync(http, 200, await _credentials.SetAsync(caller, _snapshots.Current, (string)http.GetRouteValue("name")!, request!, http.RequestAborted), json.CredentialView);
        }));
        app.MapDelete("/admin/api/credentials/{name}", Authenticated(PolicyActions.AdminCredentialsWrite, async (http, caller) =>
            await AnswerAsync(http, 200, await _credentials.DeleteAsync(caller, (string)http.GetRouteValue("name")!, http.RequestAborted), json.CredentialView)));
        app.MapPost("/admin/api/vault/rotate", Authenticated(PolicyActions.AdminCredentialsWrite, async (http, caller) =>
            await AnswerAsync(http, 200, await _credentials.RotateAsync(caller, http.RequestAborted), json.VaultRotationView)));
        app.MapGet("/admin/api/policies", Authenticated(PolicyActions.AdminPoliciesRead, (http, caller) => caller.Role == AdminRole.TeamAdmin
            ? FailAsync(http, AdminErrors.Forbidden("Policies are readable by admins and auditors."))
            : WriteAsync(http, 200, _policies.List(_snapshots.Current), json.IReadOnlyListPolicyDocumentView)));
        app.MapPut("/admin/api/policies/{name}", Authenticated(PolicyActions.AdminPoliciesWrite, async (http, caller) =>
        {
            string text;
            try
            {
                var (body, length) = await RequestBodyReader.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
                text = System.Text.Encoding.UTF8.GetString(body, 0, length);
                System.Buffers.ArrayPool<byte>.Shared.Return(body);
            }
            catch (GatewayException ex)
            {
                await FailAsync(http, ex.Error);
                return;
            }

            await AnswerAsync(http, 200, await _policies.SetAsync(caller, _snapshots.Current, (string)http.GetRouteValue("name")!, text, http.RequestAborted), json.PolicyDocumentView);
        }));
        app.MapDelete("/admin/api/policies/{name}", Authenticated(PolicyActions.AdminPoliciesWrite, async (http, caller) =>
            await AnswerAsync(http, 200, await _policies.DeleteAsync(caller, (string)http.GetRouteValue("name")!, http.RequestAborted), json.PolicyDocumentView)));
        app.MapPost("/admin/api/policies/test", Authenticated(PolicyActions.AdminPoliciesRead, async (http, caller) =>
        {
            if (caller.Role == AdminRole.TeamAdmin)
            {
                await FailAsync(http, AdminErrors.Forbidden("Policy tests are for admins and auditors."));
                return;
            }

            if (await ReadAsync(http, json.PolicyTestRequest) is var (request, error) && error is not null)
            {
                await FailAsync(http, error);
                return;
            }

            await AnswerAsync(http, 200, _policies.Test(_snapshots.Current, _evaluator, request!), json.PolicyTestView);
        }));
        app.MapGet("/admin/api/audit", Authenticated(PolicyActions.AdminAuditRead, async (http, caller) =>
        {
            if (caller.Role == AdminRole.TeamAdmin)
            {
                await FailAsync(http, AdminErrors.Forbidden("The audit trail is readable by admins and auditors."));
                return;
            }

            var from = long.TryParse(http.Request.Query["from"], NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1;
            var limit = int.TryParse(http.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is > 0 and <= 10_000 ? l : 1_000;
            await WriteAsync(http, 200, await _audit.ReadAsync(from, limit, http.RequestAborted), json.ListAuditRecordView);
        }));
        app.MapGet("/admin/api/audit/verify", Authenticated(PolicyActions.AdminAuditRead, async (http, caller) =>
        {
            if (caller.Role == AdminRole.TeamAdmin)
            {
                await FailAsync(http, AdminErrors.Forbidden("The audit trail is readable by admins and auditors."));
                return;
            }

            await WriteAsync(http, 200, await _audit.VerifyAsync(http.RequestAborted), json.AuditVerifyView);
        }));
    }

    /// <summary>Wraps a handler with admin authentication (role) and, when policies govern admin actions, authorization of <paramref name="action"/>.</summary>
    public RequestDelegate Authenticated(string action, Func<HttpContext, AdminCaller, Task> handler) => async http =>
    {
        var (caller, error) = await _authenticator.AuthenticateAsync(http);
        error ??= _adminPolicies.Authorize(caller!, action, _snapshots.Current, http);
        if (error is not null)
        {
            await FailAsync(http, error);
            return;
        }

        await handler(http, caller!);
    };

    private static async Task<(T? Value, GatewayError? Error)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type)
    {
        try
        {
            var (body, length) = await RequestBodyReader.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            try
            {
                var value = JsonSerializer.Deserialize(body.AsSpan(0, length), type);
                return value is null ? (default, GatewayError.Invalid("The body must be a JSON object.")) : (value, null);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(body);
            }
        }
        catch (JsonException ex)
        {
            return (default, GatewayError.Invalid($"Invalid JSON body: {ex.Message}"));
        }
        catch (GatewayException ex)
        {
            return (default, ex.Error);
        }
    }

    private static Task AnswerAsync<T>(HttpContext http, int status, AdminResult<T> result, JsonTypeInfo<T> type) =>
        result.Error is { } error ? FailAsync(http, error) : WriteAsync(http, status, result.Value!, type);

    private static async Task WriteAsync<T>(HttpContext http, int status, T value, JsonTypeInfo<T> type)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, value, type, http.RequestAborted);
    }

    private static Task<bool> FailAsync(HttpContext http, GatewayError error) => ErrorResponder.WriteAsync(http, Dialect.OpenAiChat, error);
}
