using System.Net;
using Gatehouse.Core;
using Gatehouse.Governance.Identity.Jwt;
using Gatehouse.Governance.Keys;
using Gatehouse.Storage.Governance;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Stage 2, identify: turns the request's credential (<c>Authorization: Bearer</c> or <c>x-api-key</c>) into a
/// <see cref="Principal"/>, or a 401/403. Keys are found by prefix and their hash compared in constant time.
/// </summary>
public sealed class CallerIdentifier
{
    private readonly GovernanceState _state;
    private readonly TimeProvider _time;
    private readonly bool _listensOnLoopbackOnly;
    private readonly JwtBearerValidator? _jwt;

    /// <summary>Creates the stage; <paramref name="jwt"/> validates bearer tokens when issuers are configured.</summary>
    public CallerIdentifier(GovernanceState state, TimeProvider time, bool listensOnLoopbackOnly, JwtBearerValidator? jwt = null)
    {
        _state = state;
        _time = time;
        _listensOnLoopbackOnly = listensOnLoopbackOnly;
        _jwt = jwt;
    }

    /// <summary>
    /// Whether the install is in open mode: no key was ever created and the gateway listens on loopback only. Then
    /// callers on this machine need no identity.
    /// </summary>
    public bool IsOpenMode => _listensOnLoopbackOnly && _jwt is null && !_state.Current.HasAnyKey;

    /// <summary>Identifies the caller by key or, when issuers are configured, by JWT; the error is null on success.</summary>
    public async ValueTask<(Principal? Principal, GatewayError? Error)> IdentifyAsync(HttpContext http)
    {
        if (_jwt is not null && Credential(http.Request) is { } token && !token.StartsWith(ApiKeyFormat.Marker, StringComparison.Ordinal) && token.Count(c => c == '.') == 2)
        {
            var result = await _jwt.ValidateAsync(token, http.RequestAborted);
            if (result.Identity is not { } identity)
            {
                return (null, result.Failure == JwtFailureReason.KeysUnavailable
                    ? new GatewayError(ErrorKind.UpstreamUnavailable, "The identity provider's signing keys cannot be fetched right now; retry later.", "identity_provider_unavailable")
                    : Unauthenticated($"Invalid bearer token: {result.Message}", "invalid_token"));
            }

            return (ForJwt(identity), null);
        }

        return Identify(http);
    }

    /// <summary>Identifies the caller by key only (no JWT); the error is null on success.</summary>
    public (Principal? Principal, GatewayError? Error) Identify(HttpContext http)
    {
        var credential = Credential(http.Request);
        var directory = _state.Current;
        if (IsOpenMode && (credential is null || !credential.StartsWith(ApiKeyFormat.Marker, StringComparison.Ordinal)))
        {
            // Open mode ignores the placeholder keys SDKs insist on sending; only loopback callers get in.
            return http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
                ? (Principal.Open, null)
                : (null, Unauthenticated("This gateway has no API keys yet and answers only clients on its own machine. Create a key with `gatehouse keys create`.", "open_mode_loopback_only"));
        }

        if (credential is null)
        {
            return (null, Unauthenticated("Missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.", "missing_api_key"));
        }

        if (!ApiKeyFormat.TryGetPrefix(credential, out var prefix) || directory.Key(prefix) is not { } key || !ApiKeyFormat.Matches(credential, key.Hash))
        {
            return (null, Unauthenticated("Invalid API key.", "invalid_api_key"));
        }

        if (key.RevokedAt is not null)
        {
            return (null, Unauthenticated("This API key was revoked.", "revoked_api_key"));
        }

        if (key.ExpiresAt is { } expires && expires <= _time.GetUtcNow())
        {
            return (null, Unauthenticated("This API key has expired.", "expired_api_key"));
        }

        var principal = directory.PrincipalOf(key);
        if (principal.AllowedNetworks.Count > 0 && !InAnyNetwork(http.Connection.RemoteIpAddress, principal.AllowedNetworks))
        {
            return (null, new GatewayError(ErrorKind.PermissionDenied, "This API key may not be used from your network address.", "source_ip_not_allowed"));
        }

        return (principal, null);
    }

    /// <summary>Builds the principal of a key, with the team and org its owner or agent belongs to.</summary>
    public static Principal ForKey(ApiKeyRecord key, GovernanceDirectory directory)
    {
        var agent = directory.Entity(EntityKind.Agent, key.AgentId);
        var user = directory.Entity(EntityKind.User, key.UserId ?? agent?.ParentUserId);
        var teamId = key.TeamId ?? agent?.TeamId ?? user?.TeamId;
        var team = directory.Entity(EntityKind.Team, teamId);
        var orgId = key.OrgId ?? team?.OrgId ?? agent?.OrgId ?? user?.OrgId;
        var scopes = new List<string>(5) { string.Concat("key:", key.Id) };
        AddScope(scopes, "agent:", key.AgentId);
        AddScope(scopes, "user:", user?.Id ?? key.UserId);
        AddScope(scopes, "team:", teamId);
        AddScope(scopes, "org:", orgId);
        var tags = new List<string>(key.Tags);
        foreach (var entity in (ReadOnlySpan<DirectoryEntity?>)[agent, user, team])
        {
            if (entity is not null)
            {
                tags.AddRange(entity.Tags);
            }
        }

        return new Principal
        {
            Kind = PrincipalKind.Key,
            Id = key.Id,
            KeyId = key.Id,
            UserId = user?.Id ?? key.UserId,
            AgentId = key.AgentId,
            TeamId = teamId,
            OrgId = orgId,
            Roles = key.Roles,
            Tags = tags,
            AllowedModels = key.AllowedModels,
            AllowedNetworks = [.. key.AllowedCidrs.Select(IPNetwork.Parse)],
            Scopes = scopes,
        };
    }

    /// <summary>Builds the principal of a validated token: user, team, org, agent and roles from its mapped claims.</summary>
    public static Principal ForJwt(JwtIdentity identity)
    {
        var scopes = new List<string>(4);
        AddScope(scopes, "agent:", identity.Agent);
        AddScope(scopes, "user:", identity.User);
        AddScope(scopes, "team:", identity.Team);
        AddScope(scopes, "org:", identity.Org);
        return new Principal
        {
            Kind = PrincipalKind.Jwt,
            Id = identity.User,
            UserId = identity.User,
            AgentId = identity.Agent,
            TeamId = identity.Team,
            OrgId = identity.Org,
            Roles = identity.Roles,
            Scopes = scopes,
        };
    }

    /// <summary>The credential the request carries, if any.</summary>
    public static string? Credential(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.Length == 0 ? null : token;
        }

        var apiKey = request.Headers["x-api-key"].ToString().Trim();
        return apiKey.Length == 0 ? null : apiKey;
    }

    private static bool InAnyNetwork(IPAddress? address, IReadOnlyList<IPNetwork> networks)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddScope(List<string> scopes, string prefix, string? id)
    {
        if (id is not null)
        {
            scopes.Add(string.Concat(prefix, id));
        }
    }

    private static GatewayError Unauthenticated(string message, string code) => new(ErrorKind.Authentication, message, code);
}
