using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>The keys of one JWKS fetch and when they were fetched; replaced whole, never changed.</summary>
internal sealed class JwksKeySnapshot(List<SecurityKey> keys, DateTimeOffset fetchedAt)
{
    public DateTimeOffset FetchedAt { get; } = fetchedAt;

    /// <summary>The keys with <paramref name="keyId"/>, or every key when the token names none.</summary>
    public IReadOnlyList<SecurityKey> Find(string? keyId)
    {
        if (keyId is null)
        {
            return keys;
        }

        var found = new List<SecurityKey>(1);
        foreach (var key in keys)
        {
            if (string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
            {
                found.Add(key);
            }
        }

        return found;
    }
}
