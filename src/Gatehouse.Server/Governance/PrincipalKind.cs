namespace Gatehouse.Server.Governance;

/// <summary>How a caller was identified.</summary>
public enum PrincipalKind
{
    /// <summary>Open mode: no identities exist yet and the caller is on this machine.</summary>
    Open,

    /// <summary>A virtual API key.</summary>
    Key,

    /// <summary>An OIDC/JWT bearer token.</summary>
    Jwt,
}
