using Gatehouse.Governance.Identity.Jwt;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using static Gatehouse.Governance.Tests.Identity.TestSigningKeys;

namespace Gatehouse.Governance.Tests.Identity;

/// <summary>Fake time, a fake JWKS server publishing k1 (RSA) and e1 (EC), and an HttpClient over it.</summary>
public abstract class JwtTestHost : IDisposable
{
    internal static readonly RsaSecurityKey K1 = RsaKey(Rsa1, "k1");
    internal static readonly RsaSecurityKey K2 = RsaKey(Rsa2, "k2");
    internal static readonly ECDsaSecurityKey E1 = EcKey("e1");

    internal FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero));

    internal FakeJwksServer Server { get; } = new() { Jwks = Jwks(K1, E1) };

    internal HttpClient Http => field ??= new HttpClient(Server);

    internal DateTimeOffset Now => Time.GetUtcNow();

    internal JwtBearerValidator Validator(Func<JwtIssuerOptions, JwtIssuerOptions>? change = null)
    {
        var options = new JwtIssuerOptions { Issuer = FakeJwksServer.Authority, Audiences = ["gatehouse"], JwksUri = FakeJwksServer.JwksUri };
        return new JwtBearerValidator([change?.Invoke(options) ?? options], Http, Time);
    }

    public void Dispose()
    {
        Http.Dispose();
        GC.SuppressFinalize(this);
    }
}
