using System.Security.Cryptography;

namespace Gatehouse.Core;

/// <summary>Generates request identifiers: a prefix and 24 random base32 characters.</summary>
public static class RequestId
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int RandomChars = 24;

    /// <summary>Returns a new random id with the given prefix.</summary>
    public static string New(string prefix = "req_") =>
        string.Create(prefix.Length + RandomChars, prefix, static (chars, p) =>
        {
            Span<byte> random = stackalloc byte[RandomChars];
            RandomNumberGenerator.Fill(random);
            p.AsSpan().CopyTo(chars);
            for (var i = 0; i < RandomChars; i++)
            {
                chars[p.Length + i] = Alphabet[random[i] & 31];
            }
        });
}
