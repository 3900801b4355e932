using System.Net;
using System.Text;
using Gatehouse.Governance.Identity.Jwt;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;
using static Gatehouse.Governance.Tests.Identity.TestSigningKeys;

namespace Gatehouse.Governance.Tests.Identity;

public sealed class JwtBearerValidatorTests : JwtTestHost
{
    private static void AssertRejected(JwtValidationResult result, JwtFailureReason reason, string token)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(reason, result.Failure);
        Assert.NotNull(result.Message);
        foreach (var part in token.Split('.'))
        {
            Assert.True(part.Length < 8 || !result.Message.Contains(part, StringComparison.Ordinal), "the message echoes the token");
        }
    }

    [Fact]
    public async Task A_valid_RS256_token_gives_the_mapped_identity()
    {
        var result = await Validator().ValidateAsync(Token(K1, SecurityAlgorithms.RsaSha256, Now));

        Assert.True(result.Succeeded, result.ToString());
        var identity = result.Identity!;
        Assert.Equal(FakeJwksServer.Authority, identity.Issuer);
        Assert.Equal("alice", identity.Subject);
        Assert.Equal("alice", identity.User);
        Assert.Equal(["admin", "dev"], identity.Roles);
        Assert.Null(identity.Team);
        Assert.Equal(Now + TimeSpan.FromHours(1), identity.ExpiresAt);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.EcdsaSha256)]
    public async Task A_valid_ES256_token_is_accepted(string algorithm)
    {
        Assert.True((await Validator().ValidateAsync(Token(E1, algorithm, Now))).Succeeded);
    }

    [Fact]
    public async Task A_valid_PS256_token_is_accepted()
    {
        Assert.True((await Validator().ValidateAsync(Token(K1, SecurityAlgorithms.RsaSsaPssSha256, Now))).Succeeded);
    }

    [Fact]
    public async Task An_expired_token_is_rejected_beyond_the_clock_skew_only()
    {
        var token = Token(K1, SecurityAlgorithms.RsaSha256, Now - TimeSpan.FromMinutes(61));
        var withinSkew = Token(K1, SecurityAlgorithms.RsaSha256, Now - TimeSpan.FromMinutes(60.5));

        AssertRejected(await Validator().ValidateAsync(token), JwtFailureReason.Expired, token);
        Assert.True((await Validator().ValidateAsync(withinSkew)).Succeeded);
    }

    [Theory]
    [InlineData(300_000_000_000L, true)]
    [InlineData(-5L, false)]
    public async Task An_exp_past_the_calendar_or_before_the_epoch_is_a_time_not_an_exception(long exp, bool valid)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = FakeJwksServer.Authority,
            Audience = "gatehouse",
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["exp"] = exp },
            SigningCredentials = new SigningCredentials(K1, SecurityAlgorithms.RsaSha256),
        });

        var result = await Validator().ValidateAsync(token);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            AssertRejected(result, JwtFailureReason.Expired, token);
        }
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_rejected()
    {
        var token = Token(K1, SecurityAlgorithms.RsaSha256, Now, notBeforeIn: TimeSpan.FromMinutes(5));

        AssertRejected(await Validator().ValidateAsync(token), JwtFailureReason.NotYetValid, token);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_rejected()
    {
        var token = Token(K1, SecurityAlgorithms.RsaSha256, Now, issuer: "https://evil.test");

        AssertRejected(await Validator().ValidateAsync(token), JwtFailureReason.UnknownIssuer, token);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_rejected()
    {
        var token = Token(K1, SecurityAlgorithms.RsaSha256, Now, audience: "someone-else");

        AssertRejected(await Validator().ValidateAsync(token), JwtFailureReason.WrongAudience, token);
    }

    [Fact]
    public async Task Alg_none_is_rejected_even_when_listed_nowhere_else()
    {
        var token = $"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{Base64Url($$"""{"iss":"{{FakeJwksServer.Authority}}","aud":"gatehouse","sub":"alice","exp":{{Now.AddHours(1).ToUnixTimeSeconds()}}}""")}.";

        AssertRejected(await Validator().ValidateAsync(token), JwtFailureReason.AlgorithmNotAllowed, token);
    }

    [Fact]
    public async Task HS256_signed_with_the_RSA_public_key_is_rejected()
    {
        var publicKeyBytes = Encoding.UTF8.GetBytes(Rsa1.ExportSubjectPublicKeyInfoPem());
        var forged = Token(new SymmetricSecurityKey(publicKeyBytes) { KeyId = "k1" }, SecurityAlgorithms.HmacSha256, Now);

        AssertRejected(await Validator().ValidateAsync(forged), JwtFailureReason.AlgorithmNotAllowed, forged);

        // Even an issuer that allows HS256 (with its own secret) verifies HMAC with that secret only, never a JWKS key.
        var hsAllowed = Validator(o => new JwtIssuerOptions
        {
            Issuer = o.Issuer,
            Audiences = o.Audiences,
            JwksUri = o.JwksUri,
            Algorithms = ["RS256", "HS256"],
            SharedSecret = new string('s', 32),
        });
        AssertRejected(await hsAllowed.ValidateAsync(forged), JwtFailureReason.InvalidSignature, forged);
        var genuine = Token(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('s', 32))), SecurityAlgorithms.HmacSha256, Now);
        Assert.True((await hsAllowed.ValidateAsync(genuine)).Succeeded);
    }

    [Fact]
    public async Task A_tampered_payload_fails_the_signature()
    {
        var parts = Token(K1, SecurityAlgorithms.RsaSha256, Now).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"alice\"", "\"mallory\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64Url(payload)}.{parts[2]}";

        AssertRejected(await Validator().ValidateAsync(tampered), JwtFailureReason.InvalidSignature, tampered);
    }

    [Fact]
    public async Task A_signature_by_a_key_with_a_published_kid_but_other_material_fails()
    {
        var impostor = Token(RsaKey(Rsa2, "k1"), SecurityAlgorithms.RsaSha256, Now);

        AssertRejected(await Validator().ValidateAsync(impostor), JwtFailureReason.InvalidSignature, impostor);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("a.b")]
    [InlineData("")]
    public async Task Garbage_is_malformed(string token)
    {
        AssertRejected(await Validator().ValidateAsync(token), JwtFailureReason.Malformed, token);
    }

    [Fact]
    public async Task A_token_without_exp_or_without_the_user_claim_is_rejected()
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var noExp = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = FakeJwksServer.Authority,
            Audience = "gatehouse",
            Claims = new Dictionary<string, object> { ["sub"] = "alice" },
            SigningCredentials = new SigningCredentials(K1, SecurityAlgorithms.RsaSha256),
        });
        var noSub = Token(K1, SecurityAlgorithms.RsaSha256, Now, claims: new Dictionary<string, object> { ["name"] = "x" });

        AssertRejected(await Validator().ValidateAsync(noExp), JwtFailureReason.MissingClaim, noExp);
        AssertRejected(await Validator().ValidateAsync(noSub), JwtFailureReason.MissingClaim, noSub);
    }

    [Fact]
    public async Task Claims_are_mapped_as_configured()
    {
        var validator = Validator(o => new JwtIssuerOptions
        {
            Issuer = o.Issuer,
            Audiences = o.Audiences,
            JwksUri = o.JwksUri,
            Claims = new JwtClaimMapping { User = "email", Team = "groups", Org = "tenant", Roles = "scope", Agent = "azp" },
        });
        var token = Token(K1, SecurityAlgorithms.RsaSha256, Now, claims: new Dictionary<string, object>
        {
            ["sub"] = "0b5c",
            ["email"] = "alice@acme.test",
            ["groups"] = new[] { "research", "ml" },
            ["tenant"] = 42L,
            ["scope"] = "gateway.use admin",
            ["azp"] = "nightly-bot",
        });

        var identity = (await validator.ValidateAsync(token)).Identity!;

        Assert.Equal(("0b5c", "alice@acme.test", "research", "42", "nightly-bot"), (identity.Subject, identity.User, identity.Team, identity.Org, identity.Agent));
        Assert.Equal(["gateway.use", "admin"], identity.Roles);
    }

    [Fact]
    public async Task Unknown_options_are_refused_at_construction()
    {
        var error = Assert.Throws<ArgumentException>(() => Validator(o => new JwtIssuerOptions
        {
            Issuer = o.Issuer,
            Audiences = [],
            Algorithms = ["none", "HS256"],
        }));

        Assert.Contains("'audiences'", error.Message, StringComparison.Ordinal);
        Assert.Contains("algorithm 'none'", error.Message, StringComparison.Ordinal);
        Assert.Contains("shared_secret", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Keys_unreachable_and_never_fetched_is_a_gateway_side_failure()
    {
        Server.Status = HttpStatusCode.InternalServerError;
        var token = Token(K1, SecurityAlgorithms.RsaSha256, Now);

        AssertRejected(await Validator().ValidateAsync(token), JwtFailureReason.KeysUnavailable, token);
    }
}
