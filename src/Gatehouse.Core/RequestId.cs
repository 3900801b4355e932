using System.Security.Cryptography;

namespace Gatehouse.Core;

/// <summary>Generates request identifiers: a prefix and 24 random base32 characters (120 bits).</summary>
public static class RequestId
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int RandomChars = 24;
    private const int BatchSize = 4096;

    // Cryptographic randomness fetched in batches per thread: one system call serves 170 ids.
    [ThreadStatic]
    private static byte[]? t_batch;

    [ThreadStatic]
    private static int t_used;

    /// <summary>Returns a new random id with the given prefix.</summary>
    public static string New(string prefix = "req_")
    {
        var batch = t_batch ??= new byte[BatchSize];
        if (t_used == 0 || t_used + RandomChars > BatchSize)
        {
            RandomNumberGenerator.Fill(batch);
            t_used = 0;
        }

        var offset = t_used;
        t_used += RandomChars;
        return string.Create(prefix.Length + RandomChars, (prefix, batch, offset), static (chars, state) =>
        {
            state.prefix.AsSpan().CopyTo(chars);
            var random = state.batch.AsSpan(state.offset, RandomChars);
            for (var i = 0; i < RandomChars; i++)
            {
                chars[state.prefix.Length + i] = Alphabet[random[i] & 31];
            }
        });
    }
}
