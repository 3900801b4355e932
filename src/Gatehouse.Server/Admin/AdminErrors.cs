using Gatehouse.Core;

namespace Gatehouse.Server.Admin;

/// <summary>The errors admin operations answer with.</summary>
public static class AdminErrors
{
    /// <summary>400 for a bad field.</summary>
    public static GatewayError Invalid(string field, string message) => GatewayError.Invalid(message, field);

    /// <summary>403 for an action outside the caller's role or team.</summary>
    public static GatewayError Forbidden(string message) => new(ErrorKind.PermissionDenied, message, "admin_forbidden");

    /// <summary>404 for an unknown object.</summary>
    public static GatewayError NotFound(string what) => new(ErrorKind.NotFound, $"{what} does not exist.", "not_found");

    /// <summary>409 for an id that is taken.</summary>
    public static GatewayError Conflict(string what) => new(ErrorKind.InvalidRequest, $"{what} already exists.", "conflict") { StatusOverride = 409 };
}
