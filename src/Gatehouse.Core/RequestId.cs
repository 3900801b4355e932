using System.Security.Cryptography;

namespace Gatehouse.Core;

/// <summary>
/// Generates identifiers: a prefix and 24 base32 characters, either all random (120 bits) or time-ordered (the
/// millisecond of arrival, then 70 random bits).
/// </summary>
public static class RequestId
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    // The same 32 characters in ASCII order, so a time written with them sorts as the time does.
    private const string SortableAlphabet = "234567abcdefghijklmnopqrstuvwxyz";
    private const int RandomChars = 24;
    private const int TimeChars = 10;
    private const int BatchSize = 4096;

    // Cryptographic randomness fetched in batches per thread: one system call serves 170 ids.
    [ThreadStatic]
    private static byte[]? t_batch;

    [ThreadStatic]
    private static int t_used;

    /// <summary>Returns a new random id with the given prefix.</summary>
    public static string New(string prefix = "req_")
    {
        var offset = TakeRandom();
        return string.Create(prefix.Length + RandomChars, (prefix, batch: t_batch!, offset), static (chars, state) =>
        {
            state.prefix.AsSpan().CopyTo(chars);
            var random = state.batch.AsSpan(state.offset, RandomChars);
            for (var i = 0; i < RandomChars; i++)
            {
                chars[state.prefix.Length + i] = Alphabet[random[i] & 31];
            }
        });
    }

    /// <summary>
    /// Returns a new id whose first 10 characters after the prefix are <paramref name="at"/>'s Unix millisecond (so
    /// ids sort by time, ordinally) and whose last 14 are random (70 bits). Stored as a primary key, such ids append
    /// to the end of the index instead of dirtying a random page of it with every insert.
    /// </summary>
    public static string NewTimeOrdered(DateTimeOffset at, string prefix = "req_")
    {
        var offset = TakeRandom();
        var milliseconds = (ulong)Math.Max(0, at.ToUnixTimeMilliseconds());
        return string.Create(prefix.Length + RandomChars, (prefix, batch: t_batch!, offset, milliseconds), static (chars, state) =>
        {
            state.prefix.AsSpan().CopyTo(chars);
            var time = chars.Slice(state.prefix.Length, TimeChars);
            var value = state.milliseconds;
            for (var i = TimeChars - 1; i >= 0; i--)
            {
                time[i] = SortableAlphabet[(int)(value & 31)];
                value >>= 5;
            }

            var random = state.batch.AsSpan(state.offset, RandomChars - TimeChars);
            for (var i = 0; i < random.Length; i++)
            {
                chars[state.prefix.Length + TimeChars + i] = Alphabet[random[i] & 31];
            }
        });
    }

    // Reserves RandomChars bytes of this thread's batch and returns where they start.
    private static int TakeRandom()
    {
        var batch = t_batch ??= new byte[BatchSize];
        if (t_used == 0 || t_used + RandomChars > BatchSize)
        {
            RandomNumberGenerator.Fill(batch);
            t_used = 0;
        }

        var offset = t_used;
        t_used += RandomChars;
        return offset;
    }
}
