using System.Net;
using Gatehouse.Governance.Identity.Jwt;
using Microsoft.IdentityModel.Tokens;
using Xunit;
using static Gatehouse.Governance.Tests.Identity.TestSigningKeys;

namespace Gatehouse.Governance.Tests.Identity;

public sealed class JwksRotationTests : JwtTestHost
{
    private readonly JwtBearerValidator _validator;

    public JwksRotationTests()
    {
        Server.Jwks = Jwks(K1);
        _validator = Validator(o => new JwtIssuerOptions { Issuer = o.Issuer, Audiences = o.Audiences, DiscoveryUri = FakeJwksServer.DiscoveryUri });
    }

    private Task<JwtValidationResult> Validate(SecurityKey key) =>
        _validator.ValidateAsync(Token(key, SecurityAlgorithms.RsaSha256, Time.GetUtcNow())).AsTask();

    [Fact]
    public async Task Keys_are_fetched_once_and_reused()
    {
        Assert.True((await Validate(K1)).Succeeded);
        Assert.True((await Validate(K1)).Succeeded);

        Assert.Equal(1, Server.JwksRequests);
    }

    [Fact]
    public async Task A_rotated_key_is_accepted_after_one_refresh()
    {
        Assert.True((await Validate(K1)).Succeeded);
        Server.Jwks = Jwks(K1, K2);

        var result = await Validate(K2);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(2, Server.JwksRequests);
    }

    [Fact]
    public async Task Unknown_kids_refresh_at_most_once_per_interval_then_reject()
    {
        Assert.True((await Validate(K1)).Succeeded);

        Assert.Equal(JwtFailureReason.UnknownKey, (await Validate(K2)).Failure);
        Assert.Equal(JwtFailureReason.UnknownKey, (await Validate(K2)).Failure);
        Assert.Equal(JwtFailureReason.UnknownKey, (await Validate(RsaKey(Rsa2, "k3"))).Failure);
        Assert.Equal(2, Server.JwksRequests);

        Time.Advance(TimeSpan.FromSeconds(31));
        Server.Jwks = Jwks(K1, K2);
        Assert.True((await Validate(K2)).Succeeded);
        Assert.Equal(3, Server.JwksRequests);
    }

    [Fact]
    public async Task Keys_are_fetched_again_after_the_refresh_interval_and_stale_keys_serve_when_that_fails()
    {
        Assert.True((await Validate(K1)).Succeeded);

        Time.Advance(TimeSpan.FromHours(1));
        Server.Status = HttpStatusCode.ServiceUnavailable;
        Assert.True((await Validate(K1)).Succeeded);
        Assert.True((await Validate(K1)).Succeeded);
        Assert.Equal(2, Server.JwksRequests); // after a failed fetch the cache backs off instead of asking on every request

        Server.Status = HttpStatusCode.OK;
        Server.Jwks = Jwks(K2);
        Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(JwtFailureReason.UnknownKey, (await Validate(K1)).Failure);
        Assert.True((await Validate(K2)).Succeeded);
    }

    [Fact]
    public async Task A_discovery_document_for_another_issuer_is_not_trusted()
    {
        Server.DiscoveryIssuer = "https://evil.test";

        Assert.Equal(JwtFailureReason.KeysUnavailable, (await Validate(K1)).Failure);
        Assert.Equal(0, Server.JwksRequests);
    }

    [Fact]
    public async Task Concurrent_validations_with_a_new_kid_fetch_once()
    {
        Assert.True((await Validate(K1)).Succeeded);
        Server.Jwks = Jwks(K1, K2);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Validate(K2)));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(2, Server.JwksRequests);
    }
}
