using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Governance.Keys;

/// <summary>
/// Virtual API keys: <c>gh_PREFIX_SECRET</c>, where the 12-character prefix is a public lookup id and the secret carries
/// 256 random bits. Only the SHA-256 of the whole key is stored; comparison is constant-time.
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>The literal start of every Gatehouse key.</summary>
    public const string Marker = "gh_";

    /// <summary>Characters in the lookup prefix.</summary>
    public const int PrefixLength = 12;

    private const int MaxKeyChars = 256;
    private const int SecretBytes = 32;
    private const int SecretLength = 43; // base64url of 32 bytes, unpadded
    private const string PrefixAlphabet = "abcdefghijkmnopqrstuvwxyz23456789";

    /// <summary>Total characters of a well-formed key.</summary>
    public static int KeyLength => Marker.Length + PrefixLength + 1 + SecretLength;

    /// <summary>Creates a new random key; returns the key (shown once) and its lookup prefix.</summary>
    public static (string Key, string Prefix) Generate()
    {
        Span<char> prefix = stackalloc char[PrefixLength];
        for (var i = 0; i < prefix.Length; i++)
        {
            prefix[i] = PrefixAlphabet[RandomNumberGenerator.GetInt32(PrefixAlphabet.Length)];
        }

        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var prefixText = new string(prefix);
        var key = string.Concat(Marker, prefixText, "_", Base64Url(secret));
        CryptographicOperations.ZeroMemory(secret);
        return (key, prefixText);
    }

    /// <summary>Extracts the lookup prefix of a well-formed key; false for anything else.</summary>
    public static bool TryGetPrefix(ReadOnlySpan<char> key, out string prefix)
    {
        prefix = string.Empty;
        if (key.Length != KeyLength || !key.StartsWith(Marker, StringComparison.Ordinal) || key[Marker.Length + PrefixLength] != '_')
        {
            return false;
        }

        var candidate = key.Slice(Marker.Length, PrefixLength);
        foreach (var c in candidate)
        {
            if (!PrefixAlphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        prefix = new string(candidate);
        return true;
    }

    /// <summary>The stored form of a key: SHA-256 of its UTF-8 bytes.</summary>
    public static byte[] Hash(ReadOnlySpan<char> key)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(key.Length, MaxKeyChars, nameof(key));
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        return SHA256.HashData(utf8[..length]);
    }

    /// <summary>Whether <paramref name="key"/> hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    public static bool Matches(ReadOnlySpan<char> key, ReadOnlySpan<byte> storedHash)
    {
        if (key.Length > MaxKeyChars)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }

    /// <summary>A form safe to show in lists and logs: the prefix only.</summary>
    public static string Redacted(string prefix) => string.Concat(Marker, prefix, "_…");

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
