using Gatehouse.Governance.Keys;
using Xunit;

namespace Gatehouse.Governance.Tests.Keys;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void Generated_keys_carry_a_prefix_and_256_random_bits_and_match_only_their_hash()
    {
        var (key, prefix) = ApiKeyFormat.Generate();
        var (other, _) = ApiKeyFormat.Generate();
        Assert.Equal(ApiKeyFormat.KeyLength, key.Length);
        Assert.True(ApiKeyFormat.TryGetPrefix(key, out var parsed));
        Assert.Equal(prefix, parsed);
        var hash = ApiKeyFormat.Hash(key);
        Assert.Equal(32, hash.Length);
        Assert.True(ApiKeyFormat.Matches(key, hash));
        Assert.False(ApiKeyFormat.Matches(other, hash));
        Assert.False(ApiKeyFormat.Matches(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), hash));
        Assert.False(ApiKeyFormat.Matches(new string('x', 10_000), hash));
        var secret = Convert.FromBase64String(key[16..].Replace('-', '+').Replace('_', '/') + "=");
        Assert.Equal(32, secret.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-abc")]
    [InlineData("gh_short")]
    [InlineData("gh_ABCDEFGHIJKL_0123456789012345678901234567890123456789012")]
    [InlineData("gh_abcdefghijkm-0123456789012345678901234567890123456789012")]
    public void Malformed_keys_have_no_prefix(string key) => Assert.False(ApiKeyFormat.TryGetPrefix(key, out _));
}
