namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>How to trust the bearer tokens of one issuer.</summary>
public sealed class JwtIssuerOptions
{
    /// <summary>The asymmetric algorithms accepted when none are configured.</summary>
    public static IReadOnlyList<string> DefaultAlgorithms { get; } =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>The exact <c>iss</c> value tokens carry.</summary>
    public required string Issuer { get; init; }

    /// <summary>Accepted <c>aud</c> values; a token must name at least one.</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary>Where the signing keys are published; set this or <see cref="DiscoveryUri"/> for asymmetric algorithms.</summary>
    public Uri? JwksUri { get; init; }

    /// <summary>The OpenID Connect discovery document (<c>.well-known/openid-configuration</c>) naming the JWKS.</summary>
    public Uri? DiscoveryUri { get; init; }

    /// <summary>Accepted <c>alg</c> values. HS256/384/512 only together with <see cref="SharedSecret"/>; <c>none</c> never.</summary>
    public IReadOnlyList<string> Algorithms { get; init; } = DefaultAlgorithms;

    /// <summary>The HMAC secret (at least 32 bytes of UTF-8) when the issuer signs with HS*; never set for asymmetric issuers.</summary>
    public string? SharedSecret { get; init; }

    /// <summary>Tolerance for clock differences when checking <c>exp</c> and <c>nbf</c>. Default one minute.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long fetched keys are used before they are fetched again. Default one hour.</summary>
    public TimeSpan JwksRefreshInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The least time between two fetches caused by tokens with an unknown <c>kid</c>. Default 30 seconds.</summary>
    public TimeSpan UnknownKeyRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Which claims carry the identity.</summary>
    public JwtClaimMapping Claims { get; init; } = new();

    /// <summary>Every problem with these options, as messages that say what to change; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Issuer))
        {
            problems.Add("'issuer' is required: the exact iss value of the tokens.");
        }

        if (Audiences is null || Audiences.Count == 0)
        {
            problems.Add($"'audiences' of issuer {Issuer} is empty: list the aud values Gatehouse accepts.");
        }

        var symmetric = false;
        var asymmetric = false;
        foreach (var algorithm in Algorithms)
        {
            if (JwtAlgorithms.IsSymmetric(algorithm))
            {
                symmetric = true;
            }
            else if (JwtAlgorithms.IsAsymmetric(algorithm))
            {
                asymmetric = true;
            }
            else
            {
                problems.Add($"algorithm '{algorithm}' of issuer {Issuer} is not supported: use {string.Join(", ", DefaultAlgorithms)} (or HS256/HS384/HS512 with a shared secret); 'none' is never accepted.");
            }
        }

        if (symmetric && (SharedSecret is null || System.Text.Encoding.UTF8.GetByteCount(SharedSecret) < 32))
        {
            problems.Add($"issuer {Issuer} allows HS* algorithms: set 'shared_secret' to at least 32 bytes, or remove HS* from 'algorithms'.");
        }

        if (!symmetric && SharedSecret is not null)
        {
            problems.Add($"issuer {Issuer} has a 'shared_secret' but no HS* algorithm: add HS256 to 'algorithms' explicitly, or remove the secret.");
        }

        if (asymmetric && JwksUri is null && DiscoveryUri is null)
        {
            problems.Add($"issuer {Issuer} needs 'jwks_uri' or 'discovery_url' to fetch its signing keys.");
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(10))
        {
            problems.Add($"'clock_skew' of issuer {Issuer} must be between 0 and 10 minutes.");
        }

        if (string.IsNullOrWhiteSpace(Claims.User))
        {
            problems.Add($"'claims.user' of issuer {Issuer} is empty: name the claim that identifies the user (usually sub).");
        }

        return problems;
    }
}
