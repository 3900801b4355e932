using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>
/// Validates OIDC/JWT bearer tokens against configured issuers: the algorithm is pinned per issuer (never <c>none</c>,
/// HS* only with an explicit shared secret), the signature is checked with the issuer's JWKS keys, then issuer,
/// audience, <c>exp</c> and <c>nbf</c> (against the injected <see cref="TimeProvider"/>), and the claims are mapped to a
/// <see cref="JwtIdentity"/>. Safe to use concurrently.
/// </summary>
public sealed class JwtBearerValidator
{
    // The last second of the year 9998: DateTimeOffset ends with 9999, and a clock skew is added to it.
    private const long MaxUnixSeconds = 253_370_764_799;

    private readonly Dictionary<string, JwtIssuerState> _issuers = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a validator; throws <see cref="ArgumentException"/> listing every problem when an issuer's options are invalid.</summary>
    public JwtBearerValidator(IEnumerable<JwtIssuerOptions> issuers, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        ArgumentNullException.ThrowIfNull(http);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        var problems = new List<string>();
        foreach (var options in issuers)
        {
            problems.AddRange(options.Validate());
            if (!_issuers.TryAdd(options.Issuer ?? string.Empty, new JwtIssuerState(options, new JwksCache(options, http, time))))
            {
                problems.Add($"issuer {options.Issuer} is configured twice.");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(issuers));
        }
    }

    /// <summary>Validates a compact JWS (the text after <c>Bearer </c>).</summary>
    public async ValueTask<JwtValidationResult> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return JwtValidationResult.Fail(JwtFailureReason.Malformed, "the bearer token is not a well-formed JWT.");
        }

        // The unverified iss only selects the issuer's configuration; the handler checks it again after the signature.
        if (jwt.Issuer is not { Length: > 0 } issuer || !_issuers.TryGetValue(issuer, out var state))
        {
            return JwtValidationResult.Fail(JwtFailureReason.UnknownIssuer, "the token's issuer is not trusted by this gateway.");
        }

        var options = state.Options;
        if (!Allowed(options, jwt.Alg))
        {
            return JwtValidationResult.Fail(JwtFailureReason.AlgorithmNotAllowed, $"the token's signing algorithm is not accepted for issuer {options.Issuer}; accepted: {string.Join(", ", options.Algorithms)}.");
        }

        IReadOnlyList<SecurityKey> keys;
        if (JwtAlgorithms.IsSymmetric(jwt.Alg))
        {
            keys = state.SecretKey!;
        }
        else
        {
            var found = await state.Keys.FindAsync(jwt.Kid is { Length: > 0 } kid ? kid : null, cancellationToken);
            if (found is null)
            {
                return JwtValidationResult.Fail(JwtFailureReason.KeysUnavailable, $"the signing keys of issuer {options.Issuer} cannot be fetched; try again later.");
            }

            if (found.Count == 0)
            {
                return JwtValidationResult.Fail(JwtFailureReason.UnknownKey, $"the token is signed with a key issuer {options.Issuer} does not publish.");
            }

            keys = found;
        }

        var result = await _handler.ValidateTokenAsync(jwt, Parameters(options, keys));
        if (!result.IsValid)
        {
            return Rejection(result.Exception, options);
        }

        return Lifetime(jwt, options) ?? Identity(jwt, options);
    }

    private static bool Allowed(JwtIssuerOptions options, string algorithm)
    {
        if (!JwtAlgorithms.IsAsymmetric(algorithm) && !JwtAlgorithms.IsSymmetric(algorithm))
        {
            return false; // "none" and anything unknown, whatever the configuration says
        }

        foreach (var allowed in options.Algorithms)
        {
            if (string.Equals(allowed, algorithm, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static TokenValidationParameters Parameters(JwtIssuerOptions options, IReadOnlyList<SecurityKey> keys) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudiences = options.Audiences,
        ValidAlgorithms = options.Algorithms,
        IssuerSigningKeys = keys,
        RequireSignedTokens = true,
        TryAllIssuerSigningKeys = true,
        ValidateIssuerSigningKey = false,
        ValidateLifetime = false, // checked below against the injected TimeProvider
        RequireExpirationTime = false,
    };

    private static JwtValidationResult Rejection(Exception? exception, JwtIssuerOptions options) => exception switch
    {
        SecurityTokenInvalidAudienceException => JwtValidationResult.Fail(JwtFailureReason.WrongAudience, $"the token is not for this gateway; accepted audiences: {string.Join(", ", options.Audiences)}."),
        SecurityTokenInvalidIssuerException => JwtValidationResult.Fail(JwtFailureReason.WrongIssuer, "the token's issuer is not trusted by this gateway."),
        SecurityTokenInvalidAlgorithmException => JwtValidationResult.Fail(JwtFailureReason.AlgorithmNotAllowed, $"the token's signing algorithm is not accepted for issuer {options.Issuer}."),
        SecurityTokenMalformedException => JwtValidationResult.Fail(JwtFailureReason.Malformed, "the bearer token is not a well-formed JWT."),
        _ => JwtValidationResult.Fail(JwtFailureReason.InvalidSignature, "the token's signature does not verify."),
    };

    private JwtValidationResult? Lifetime(JsonWebToken jwt, JwtIssuerOptions options)
    {
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp))
        {
            return JwtValidationResult.Fail(JwtFailureReason.MissingClaim, "the token has no exp claim; tokens without an expiry are not accepted.");
        }

        var now = _time.GetUtcNow();
        if (now >= UnixTime(exp) + options.ClockSkew)
        {
            return JwtValidationResult.Fail(JwtFailureReason.Expired, "the token has expired; get a new one from the identity provider.");
        }

        if (jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf) && now + options.ClockSkew < UnixTime(nbf))
        {
            return JwtValidationResult.Fail(JwtFailureReason.NotYetValid, "the token is not valid yet (nbf is in the future); check the clocks.");
        }

        return null;
    }

    private static JwtValidationResult Identity(JsonWebToken jwt, JwtIssuerOptions options)
    {
        var claims = options.Claims;
        if (JwtClaimReader.String(jwt, claims.User) is not { Length: > 0 } user)
        {
            return JwtValidationResult.Fail(JwtFailureReason.MissingClaim, $"the token has no '{claims.User}' claim naming the user.");
        }

        jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp);
        return JwtValidationResult.Success(new JwtIdentity(
            jwt.Issuer,
            jwt.Subject ?? string.Empty,
            user,
            JwtClaimReader.String(jwt, claims.Team),
            JwtClaimReader.String(jwt, claims.Org),
            JwtClaimReader.List(jwt, claims.Roles),
            JwtClaimReader.String(jwt, claims.Agent),
            UnixTime(exp)));
    }

    // A NumericDate as a time, held inside what DateTimeOffset can add a clock skew to: an exp past the calendar is
    // the far future, a negative one the epoch (so it has expired), never an exception.
    private static DateTimeOffset UnixTime(long seconds) => DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, MaxUnixSeconds));
}
