using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Governance.Vault;

/// <summary>
/// Seals secrets (provider API keys) with AES-256-GCM under the ring's current master key. The record id is the
/// associated data, so a sealed value moved to another record fails to open. Format: <c>v1.KEYID.BASE64(nonce|tag|ciphertext)</c>.
/// </summary>
public sealed class SecretVault
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly MasterKeyRing _ring;

    /// <summary>Creates the vault on a key ring.</summary>
    public SecretVault(MasterKeyRing ring) => _ring = ring;

    /// <summary>The id of the key new values are sealed with.</summary>
    public string CurrentKeyId => _ring.CurrentId;

    /// <summary>Encrypts <paramref name="plaintext"/> for the record <paramref name="recordId"/>.</summary>
    public string Seal(string recordId, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_ring.Current, TagSize))
        {
            aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(recordId));
        }

        CryptographicOperations.ZeroMemory(plain);
        return string.Concat("v1.", _ring.CurrentId, ".", Convert.ToBase64String(output));
    }

    /// <summary>Decrypts a sealed value of <paramref name="recordId"/>; throws <see cref="CryptographicException"/> if it was altered, moved or sealed under an unknown key.</summary>
    public string Open(string recordId, string sealedValue)
    {
        var parts = sealedValue.Split('.');
        if (parts.Length != 3 || parts[0] != "v1")
        {
            throw new CryptographicException("Not a sealed value.");
        }

        if (!_ring.TryGet(parts[1], out var key))
        {
            throw new CryptographicException($"Sealed under master key {parts[1]}, which is not configured (set it in GATEHOUSE_MASTER_KEY_PREVIOUS to rotate).");
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw new CryptographicException("Sealed value is corrupt.");
        }

        if (data.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Sealed value is corrupt.");
        }

        var plain = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(recordId));
        var text = Encoding.UTF8.GetString(plain);
        CryptographicOperations.ZeroMemory(plain);
        return text;
    }

    /// <summary>Whether a sealed value needs re-sealing under the current key.</summary>
    public bool NeedsRotation(string sealedValue) => !sealedValue.StartsWith(string.Concat("v1.", _ring.CurrentId, "."), StringComparison.Ordinal);
}
