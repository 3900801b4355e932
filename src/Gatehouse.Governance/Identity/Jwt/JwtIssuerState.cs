using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>One configured issuer with its key cache and, for HS* issuers, its secret key.</summary>
internal sealed class JwtIssuerState(JwtIssuerOptions options, JwksCache keys)
{
    public JwtIssuerOptions Options { get; } = options;

    public JwksCache Keys { get; } = keys;

    public SecurityKey[]? SecretKey { get; } =
        options.SharedSecret is { } secret ? [new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret))] : null;
}
