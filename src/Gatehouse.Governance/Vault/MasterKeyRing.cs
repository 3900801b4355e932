using System.Security.Cryptography;

namespace Gatehouse.Governance.Vault;

/// <summary>
/// The master keys that seal stored secrets: the current one encrypts, every listed one decrypts (for rotation).
/// Each key is 32 random bytes; its id is the first 8 hex digits of its SHA-256, so a sealed value names its key.
/// </summary>
public sealed class MasterKeyRing
{
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    /// <summary>Creates the ring from the current key and older keys still needed to decrypt.</summary>
    public MasterKeyRing(byte[] current, IEnumerable<byte[]>? previous = null)
    {
        CurrentId = Add(current);
        foreach (var key in previous ?? [])
        {
            Add(key);
        }
    }

    /// <summary>The id of the key that encrypts.</summary>
    public string CurrentId { get; }

    /// <summary>Builds the ring from base64 text: the current key, then comma-separated previous keys (may be empty).</summary>
    public static MasterKeyRing FromBase64(string current, string? previous)
    {
        var older = (previous ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new MasterKeyRing(Decode(current), older.Select(Decode));
    }

    /// <summary>A new random master key as base64 (for <c>gatehouse vault new-key</c>).</summary>
    public static string NewKeyBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key with <paramref name="id"/>, when the ring has it.</summary>
    public bool TryGet(string id, out byte[] key) => _keys.TryGetValue(id, out key!);

    /// <summary>The current key.</summary>
    internal byte[] Current => _keys[CurrentId];

    private string Add(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("A master key must be 32 bytes (AES-256), given as base64.");
        }

        var id = Convert.ToHexStringLower(SHA256.HashData(key))[..8];
        _keys[id] = key;
        return id;
    }

    private static byte[] Decode(string text)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException("A master key must be base64 text of 32 bytes (create one with `gatehouse vault new-key`).");
        }
    }
}
