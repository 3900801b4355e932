using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Governance.Tests.Identity;

/// <summary>Signing keys, their JWKS and token minting for the JWT tests.</summary>
internal static class TestSigningKeys
{
    public static readonly RSA Rsa1 = RSA.Create(2048);
    public static readonly RSA Rsa2 = RSA.Create(2048);
    public static readonly ECDsa Ec1 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static RsaSecurityKey RsaKey(RSA rsa, string kid) => new(rsa) { KeyId = kid };

    public static ECDsaSecurityKey EcKey(string kid) => new(Ec1) { KeyId = kid };

    /// <summary>A JWKS document publishing the public halves of <paramref name="keys"/>.</summary>
    public static string Jwks(params SecurityKey[] keys)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("keys");
            foreach (var key in keys)
            {
                var jwk = key is RsaSecurityKey rsa
                    ? JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId })
                    : JsonWebKeyConverter.ConvertFromECDsaSecurityKey((ECDsaSecurityKey)key);
                json.WriteStartObject();
                json.WriteString("kty", jwk.Kty);
                json.WriteString("kid", key.KeyId);
                json.WriteString("use", "sig");
                foreach (var (name, value) in new[] { ("n", jwk.N), ("e", jwk.E), ("crv", jwk.Crv), ("x", jwk.X), ("y", jwk.Y) })
                {
                    if (value is not null)
                    {
                        json.WriteString(name, value);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Mints a signed token valid from <paramref name="now"/> for an hour unless overridden.</summary>
    public static string Token(
        SecurityKey key,
        string algorithm,
        DateTimeOffset now,
        string issuer = FakeJwksServer.Authority,
        string audience = "gatehouse",
        TimeSpan? expiresIn = null,
        TimeSpan? notBeforeIn = null,
        IDictionary<string, object>? claims = null)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = (now + (notBeforeIn ?? TimeSpan.Zero)).UtcDateTime,
            Expires = (now + (expiresIn ?? TimeSpan.FromHours(1))).UtcDateTime,
            Claims = claims ?? new Dictionary<string, object> { ["sub"] = "alice", ["roles"] = new[] { "admin", "dev" } },
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    public static string Base64Url(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
