namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>The signing algorithms Gatehouse knows, split into asymmetric (keys from a JWKS) and symmetric (a shared secret).</summary>
public static class JwtAlgorithms
{
    /// <summary>Whether <paramref name="algorithm"/> is an RSA, RSA-PSS or ECDSA algorithm.</summary>
    public static bool IsAsymmetric(string algorithm) => algorithm is
        "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" or "ES256" or "ES384" or "ES512";

    /// <summary>Whether <paramref name="algorithm"/> is an HMAC algorithm.</summary>
    public static bool IsSymmetric(string algorithm) => algorithm is "HS256" or "HS384" or "HS512";
}
