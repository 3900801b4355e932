using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Governance.Identity.Jwt;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>OIDC/JWT bearer tokens through the HTTP API, against a JWKS served by a real local server.</summary>
public sealed class JwtAuthenticationTests : IAsyncLifetime
{
    private const string Issuer = "https://login.example.test/";
    private static DateTime Now => TimeProvider.System.GetUtcNow().UtcDateTime;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly JwksUpstream _jwks = new();
    private FakeServer _jwksServer = null!;
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _jwks.Document = Jwks(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "k1" });
        _jwksServer = await FakeServer.StartAsync(_jwks);
        _host = await GatewayTestHost.StartAsync(configure: (config, _, _) => config.Governance.Jwt.Add(new JwtIssuerOptions
        {
            Issuer = Issuer,
            Audiences = ["gatehouse"],
            JwksUri = new Uri(_jwksServer.Url, "/keys"),
            Claims = new JwtClaimMapping { User = "sub", Team = "team", Roles = "roles" },
        }));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _jwksServer.DisposeAsync();
        _rsa.Dispose();
    }

    [Fact]
    public async Task A_valid_token_is_a_principal_with_its_team_and_roles()
    {
        Assert.Equal(200, (await _host.ChatAsync(Token())).Status);
        Assert.Equal(401, (await _host.ChatAsync(null)).Status); // an issuer is configured: no open mode
        Assert.Equal(403, (await _host.SendAsync(HttpMethod.Get, "/admin/api/keys", key: Token())).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Get, "/admin/api/keys", key: Token(roles: ["admin"]))).Status);

        // Limits on the token's team apply to it.
        var admin = Token(roles: ["admin"]);
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/teams", """{"id":"research"}""", admin)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/limits", """{"scope":"team:research","rpm":1}""", admin)).Status);
        Assert.Equal(200, (await _host.ChatAsync(Token())).Status);
        Assert.Equal(429, (await _host.ChatAsync(Token(subject: "bob"))).Status);
    }

    [Fact]
    public async Task Forged_expired_and_misaddressed_tokens_are_refused()
    {
        var publicKeyBytes = _rsa.ExportSubjectPublicKeyInfo();
        var forged = new Dictionary<string, string>
        {
            ["expired"] = Token(expires: Now.AddMinutes(-10), notBefore: Now.AddHours(-1)),
            ["not yet valid"] = Token(notBefore: Now.AddMinutes(30), expires: Now.AddHours(1)),
            ["wrong audience"] = Token(audience: "someone-else"),
            ["wrong issuer"] = Token(issuer: "https://evil.example.test/"),
            ["unknown kid"] = Token(key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "k9" }),
            ["alg none"] = Unsigned(),
            ["hs256 with the public key"] = Token(credentials: new SigningCredentials(new SymmetricSecurityKey(publicKeyBytes) { KeyId = "k1" }, SecurityAlgorithms.HmacSha256)),
            ["tampered"] = Tamper(Token()),
        };
        foreach (var (name, token) in forged)
        {
            var (status, json, _) = await _host.ChatAsync(token);
            Assert.True(status == 401, $"{name}: {status}");
            Assert.Equal("invalid_token", json.ErrorCode());
            Assert.DoesNotContain(token, json.ToString(), StringComparison.Ordinal);
        }
    }

    private string Token(
        string subject = "alice",
        string[]? roles = null,
        string audience = "gatehouse",
        string issuer = Issuer,
        DateTime? expires = null,
        DateTime? notBefore = null,
        SecurityKey? key = null,
        SigningCredentials? credentials = null)
    {
        var claims = new List<Claim> { new("sub", subject), new("team", "research") };
        foreach (var role in roles ?? [])
        {
            claims.Add(new Claim("roles", role));
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = notBefore ?? Now.AddMinutes(-1),
            Expires = expires ?? Now.AddMinutes(30),
            IssuedAt = Now.AddMinutes(-1),
            SigningCredentials = credentials ?? new SigningCredentials(key ?? new RsaSecurityKey(_rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private static string Unsigned()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = TimeProvider.System.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds();
        return $"{Part("""{"alg":"none","typ":"JWT","kid":"k1"}""")}.{Part($$"""{"iss":"{{Issuer}}","aud":"gatehouse","sub":"mallory","exp":{{exp}}}""")}.";
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("alice", "admin", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
    }

    private static string Jwks(RsaSecurityKey key)
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
        return $$"""{"keys":[{"kty":"RSA","kid":"{{key.KeyId}}","use":"sig","n":"{{jwk.N}}","e":"{{jwk.E}}"}]}""";
    }

    private sealed class JwksUpstream : IFakeUpstream
    {
        public string Document { get; set; } = """{"keys":[]}""";

        public List<RecordedRequest> Received { get; } = [];

        public Task HandleAsync(HttpContext context)
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(Document);
        }
    }
}
