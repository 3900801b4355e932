using System.Net;
using Gatehouse.Core;
using Gatehouse.Server.Governance;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Admin;

/// <summary>Checks shared by admin operations: ids, references to existing entities, scopes, networks.</summary>
public static class AdminValidation
{
    /// <summary>The admin roles a key can hold.</summary>
    public static IReadOnlyList<string> Roles { get; } = ["admin", "team-admin", "auditor"];

    /// <summary>Whether <paramref name="id"/> is a valid entity id.</summary>
    public static bool IsValidId(string? id)
    {
        if (id is null || id.Length is 0 or > 128 || !(char.IsAsciiLetterLower(id[0]) || char.IsAsciiDigit(id[0])))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-' or '@'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks that an optional reference names an existing entity.</summary>
    public static GatewayError? Reference(GovernanceDirectory directory, EntityKind kind, string? id, string field) =>
        id is null || directory.Entity(kind, id) is not null ? null : AdminErrors.Invalid(field, $"'{field}': {kind.ToString().ToLowerInvariant()} '{id}' does not exist.");

    /// <summary>Checks a list of CIDR networks.</summary>
    public static GatewayError? Networks(IReadOnlyList<string> cidrs)
    {
        foreach (var cidr in cidrs)
        {
            if (!IPNetwork.TryParse(cidr, out _))
            {
                return AdminErrors.Invalid("allowed_cidrs", $"'{cidr}' is not a network in CIDR form (for example 10.0.0.0/8 or 2001:db8::/32).");
            }
        }

        return null;
    }

    /// <summary>Checks free-form strings (tags, model patterns): non-empty, at most 256 characters, no line breaks.</summary>
    public static GatewayError? Strings(IReadOnlyList<string> values, string field)
    {
        foreach (var value in values)
        {
            if (value is null || value.Length is 0 or > 256 || value.AsSpan().ContainsAny('\n', '\r'))
            {
                return AdminErrors.Invalid(field, $"'{field}' entries must be 1-256 characters on one line.");
            }
        }

        return null;
    }

    /// <summary>
    /// Checks a limit or budget scope (<c>type:id</c>) and returns the team it belongs to, for team-admin checks.
    /// <paramref name="allowModel"/> admits <c>model:NAME</c>; <paramref name="allowSession"/> admits <c>session:agent:ID</c>.
    /// </summary>
    public static (string? TeamId, GatewayError? Error) Scope(GovernanceDirectory directory, string? scope, bool allowModel, bool allowSession)
    {
        var colon = scope?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (scope is null || colon <= 0 || colon == scope.Length - 1)
        {
            return (null, AdminErrors.Invalid("scope", "'scope' must be type:id, for example team:research or key:abcd2345efgh."));
        }

        var type = scope[..colon];
        var id = scope[(colon + 1)..];
        switch (type)
        {
            case "key":
                return directory.Key(id) is { } key ? (key.TeamId, null) : (null, AdminErrors.Invalid("scope", $"key '{id}' does not exist."));
            case "team":
                return directory.Entity(EntityKind.Team, id) is not null ? (id, null) : (null, AdminErrors.Invalid("scope", $"team '{id}' does not exist."));
            case "org":
                return directory.Entity(EntityKind.Org, id) is not null ? (null, null) : (null, AdminErrors.Invalid("scope", $"org '{id}' does not exist."));
            case "user":
                return directory.Entity(EntityKind.User, id) is { } user ? (user.TeamId, null) : (null, AdminErrors.Invalid("scope", $"user '{id}' does not exist."));
            case "agent":
                return directory.Entity(EntityKind.Agent, id) is { } agent ? (agent.TeamId, null) : (null, AdminErrors.Invalid("scope", $"agent '{id}' does not exist."));
            case "model" when allowModel:
                return (null, null);
            case "session" when allowSession && id.StartsWith("agent:", StringComparison.Ordinal):
                return directory.Entity(EntityKind.Agent, id["agent:".Length..]) is { } sessionAgent
                    ? (sessionAgent.TeamId, null)
                    : (null, AdminErrors.Invalid("scope", $"agent '{id["agent:".Length..]}' does not exist."));
            default:
                return (null, AdminErrors.Invalid("scope", $"unknown scope type '{type}'; use key, user, agent, team, org{(allowModel ? ", model" : string.Empty)}{(allowSession ? " or session:agent" : string.Empty)}."));
        }
    }
}
