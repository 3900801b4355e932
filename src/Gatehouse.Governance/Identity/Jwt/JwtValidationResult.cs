namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>The outcome of validating a bearer token: an identity, or a reason and a message that never repeat the token.</summary>
public sealed class JwtValidationResult
{
    private JwtValidationResult(JwtIdentity? identity, JwtFailureReason? failure, string? message)
    {
        Identity = identity;
        Failure = failure;
        Message = message;
    }

    /// <summary>The identity of a valid token; null on failure.</summary>
    public JwtIdentity? Identity { get; }

    /// <summary>Why the token was rejected; null on success.</summary>
    public JwtFailureReason? Failure { get; }

    /// <summary>A message for the 401 body and the log; never contains the token or its signature.</summary>
    public string? Message { get; }

    /// <summary>Whether the token is valid.</summary>
    public bool Succeeded => Identity is not null;

    /// <summary>A success.</summary>
    public static JwtValidationResult Success(JwtIdentity identity) => new(identity, null, null);

    /// <summary>A rejection.</summary>
    public static JwtValidationResult Fail(JwtFailureReason reason, string message) => new(null, reason, message);

    /// <inheritdoc />
    public override string ToString() => Succeeded ? $"valid token for {Identity!.User}" : $"{Failure}: {Message}";
}
