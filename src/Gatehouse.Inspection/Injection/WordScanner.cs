using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Finds the words of folded text (runs of letters and digits, as <see cref="FeatureHasher.NextWord"/>) and hashes
/// each with FNV-1a, as <see cref="FeatureHasher.AddWords"/> does, in three passes without a branch per character or
/// per word length: the word characters as a bit mask (16 classified at a time), the words' bounds from the mask's
/// edges, then the hashes, a word of up to eight characters in eight steps whatever its length (the steps past its
/// end leave the hash as it is), so that how long a word is costs no mispredicted branch.
/// </summary>
internal static class WordScanner
{
    /// <summary>
    /// Writes the start, end and hash of each word of <paramref name="text"/> (FNV-1a from <paramref name="seed"/>) to
    /// <paramref name="starts"/>, <paramref name="ends"/> and <paramref name="hashes"/>, each with room for
    /// text length / 2 + 1 words; returns how many there are.
    /// </summary>
    public static int Scan(ReadOnlySpan<char> text, Span<int> starts, Span<int> ends, Span<int> hashes, uint seed)
    {
        var blocks = (text.Length + 63) >> 6;
        ulong[]? rented = null;
        var bits = blocks <= 256 ? stackalloc ulong[blocks] : (rented = ArrayPool<ulong>.Shared.Rent(blocks)).AsSpan(0, blocks);
        WordBits(text, bits);
        var count = Bounds(bits, text.Length, starts, ends);
        if (rented is not null)
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }

        ref var chars = ref MemoryMarshal.GetReference(text);
        for (var k = 0; k < count; k++)
        {
            var start = starts[k];
            var length = ends[k] - start;
            hashes[k] = (int)(length <= 8 && start + 8 <= text.Length
                ? HashShort(ref Unsafe.Add(ref chars, start), length, seed)
                : FeatureHasher.Fnv(seed, text.Slice(start, length)));
        }

        return count;
    }

    // Bit i of bits[i / 64] set when text[i] is a letter or a digit (char.IsLetterOrDigit).
    private static void WordBits(ReadOnlySpan<char> text, Span<ulong> bits)
    {
        bits.Clear();
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
            for (; i + Vector256<ushort>.Count <= text.Length; i += Vector256<ushort>.Count)
            {
                var c = Vector256.LoadUnsafe(ref chars, (nuint)i);
                var letter = Vector256.LessThanOrEqual((c | Vector256.Create((ushort)0x20)) - Vector256.Create((ushort)'a'), Vector256.Create((ushort)('z' - 'a')));
                var digit = Vector256.LessThanOrEqual(c - Vector256.Create((ushort)'0'), Vector256.Create((ushort)9));
                var word = (ulong)(letter | digit).ExtractMostSignificantBits();

                // Beyond ASCII, the Unicode categories decide (a few per text, if any).
                var other = Vector256.GreaterThanOrEqual(c, Vector256.Create((ushort)0x80)).ExtractMostSignificantBits();
                while (other != 0)
                {
                    var k = BitOperations.TrailingZeroCount(other);
                    word |= char.IsLetterOrDigit(text[i + k]) ? 1UL << k : 0;
                    other &= other - 1;
                }

                bits[i >> 6] |= word << (i & 63);
            }
        }

        for (; i < text.Length; i++)
        {
            if (char.IsLetterOrDigit(text[i]))
            {
                bits[i >> 6] |= 1UL << (i & 63);
            }
        }
    }

    // The words' starts (a set bit after a clear one) and ends (a clear bit after a set one, or the end of the text).
    private static int Bounds(ReadOnlySpan<ulong> bits, int length, Span<int> starts, Span<int> ends)
    {
        var count = 0;
        var ended = 0;
        ulong carry = 0;
        for (var block = 0; block < bits.Length; block++)
        {
            var word = bits[block];
            var before = (word << 1) | carry;
            carry = word >> 63;
            var first = word & ~before;
            var after = ~word & before;
            for (; first != 0; first &= first - 1)
            {
                starts[count++] = (block << 6) + BitOperations.TrailingZeroCount(first);
            }

            // Bits past the text's end are clear, so the last word's end is found here unless the text fills the block.
            for (; after != 0; after &= after - 1)
            {
                ends[ended++] = (block << 6) + BitOperations.TrailingZeroCount(after);
            }
        }

        if (carry != 0)
        {
            ends[ended] = length;
        }

        return count;
    }

    // FNV-1a of the length (1 to 8) characters from c, reading eight: a step past the end xors 0 and multiplies by 1.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint HashShort(ref char c, int length, uint h)
    {
        h = (h ^ c) * FeatureHasher.Prime;
        h = Step(h, Unsafe.Add(ref c, 1), 1, length);
        h = Step(h, Unsafe.Add(ref c, 2), 2, length);
        h = Step(h, Unsafe.Add(ref c, 3), 3, length);
        h = Step(h, Unsafe.Add(ref c, 4), 4, length);
        h = Step(h, Unsafe.Add(ref c, 5), 5, length);
        h = Step(h, Unsafe.Add(ref c, 6), 6, length);
        return Step(h, Unsafe.Add(ref c, 7), 7, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Step(uint h, char c, int index, int length)
    {
        // All ones while index < length, else zero.
        var inside = (uint)((index - length) >> 31);
        return (h ^ (c & inside)) * (((FeatureHasher.Prime - 1) & inside) + 1);
    }
}
