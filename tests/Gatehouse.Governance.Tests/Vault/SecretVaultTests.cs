using System.Security.Cryptography;
using Gatehouse.Governance.Vault;
using Xunit;

namespace Gatehouse.Governance.Tests.Vault;

public sealed class SecretVaultTests
{
    [Fact]
    public void Sealed_values_open_only_for_their_record_and_unaltered()
    {
        var vault = new SecretVault(new MasterKeyRing(RandomNumberGenerator.GetBytes(32)));
        var sealedValue = vault.Seal("cred-openai", "sk-live-secret");
        Assert.DoesNotContain("sk-live-secret", sealedValue, StringComparison.Ordinal);
        Assert.NotEqual(sealedValue, vault.Seal("cred-openai", "sk-live-secret")); // fresh nonce each time
        Assert.Equal("sk-live-secret", vault.Open("cred-openai", sealedValue));
        Assert.ThrowsAny<CryptographicException>(() => vault.Open("cred-other", sealedValue));
        var bytes = Convert.FromBase64String(sealedValue.Split('.')[2]);
        bytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => vault.Open("cred-openai", $"v1.{vault.CurrentKeyId}.{Convert.ToBase64String(bytes)}"));
        Assert.ThrowsAny<CryptographicException>(() => vault.Open("cred-openai", "v1.deadbeef.AAAA"));
        Assert.ThrowsAny<CryptographicException>(() => vault.Open("cred-openai", "plaintext"));
    }

    [Fact]
    public void Rotation_opens_old_values_with_the_previous_key_and_seals_new_ones_with_the_current()
    {
        var oldKey = MasterKeyRing.NewKeyBase64();
        var newKey = MasterKeyRing.NewKeyBase64();
        var before = new SecretVault(MasterKeyRing.FromBase64(oldKey, null));
        var sealedOld = before.Seal("r1", "value");
        var after = new SecretVault(MasterKeyRing.FromBase64(newKey, oldKey));
        Assert.True(after.NeedsRotation(sealedOld));
        Assert.Equal("value", after.Open("r1", sealedOld));
        var resealed = after.Seal("r1", after.Open("r1", sealedOld));
        Assert.False(after.NeedsRotation(resealed));
        Assert.ThrowsAny<CryptographicException>(() => before.Open("r1", resealed));
        Assert.Throws<ArgumentException>(() => MasterKeyRing.FromBase64("c2hvcnQ=", null));
    }
}
