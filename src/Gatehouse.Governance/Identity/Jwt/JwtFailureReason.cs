namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>Why a bearer token was rejected; every reason maps to 401 except <see cref="KeysUnavailable"/> (503).</summary>
public enum JwtFailureReason
{
    /// <summary>Not a compact JWS (three base64url parts with a JSON header and payload).</summary>
    Malformed,

    /// <summary>The <c>iss</c> claim names no configured issuer.</summary>
    UnknownIssuer,

    /// <summary>The header's <c>alg</c> is not allowed for the issuer (including <c>none</c> and HS* on asymmetric issuers).</summary>
    AlgorithmNotAllowed,

    /// <summary>No key of the issuer has the token's <c>kid</c>, even after refreshing the JWKS.</summary>
    UnknownKey,

    /// <summary>The signature does not verify.</summary>
    InvalidSignature,

    /// <summary>The token is not for one of the configured audiences.</summary>
    WrongAudience,

    /// <summary>The issuer check failed after the signature verified.</summary>
    WrongIssuer,

    /// <summary>The token has expired (beyond the clock skew).</summary>
    Expired,

    /// <summary>The token's <c>nbf</c> is in the future (beyond the clock skew).</summary>
    NotYetValid,

    /// <summary>A required claim (<c>exp</c>, or the user claim) is missing.</summary>
    MissingClaim,

    /// <summary>The issuer's keys could not be fetched and none are cached: a gateway-side problem.</summary>
    KeysUnavailable,
}
