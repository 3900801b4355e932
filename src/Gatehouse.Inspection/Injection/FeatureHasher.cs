using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Turns folded text into hashed features: character 3-, 4- and 5-grams (spaces included, so word edges count)
/// and word unigrams and bigrams, hashed with FNV-1a (stable across runs and machines) into 2^bits buckets.
/// </summary>
public static class FeatureHasher
{
    /// <summary>Longest text (in characters) that is featurized; the rest is ignored.</summary>
    public const int MaxChars = 16_384;

    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    /// <summary>The features of <paramref name="folded"/> (output of <see cref="Normalization.ScoringFolder"/>).</summary>
    public static HashedFeatures Extract(string folded, int bits)
    {
        ArgumentNullException.ThrowIfNull(folded);
        var text = folded.AsSpan(0, Math.Min(folded.Length, MaxChars));
        var sink = new ListSink(new List<int>(text.Length * 4));
        Hash(text, (1 << bits) - 1, ref sink);
        var hashes = sink.Hashes;
        hashes.Sort();
        var unique = 0;
        for (var i = 0; i < hashes.Count; i++)
        {
            if (i == 0 || hashes[i] != hashes[i - 1])
            {
                hashes[unique++] = hashes[i];
            }
        }

        var indices = hashes.GetRange(0, unique).ToArray();
        return new HashedFeatures(indices, unique == 0 ? 0 : (float)(1 / Math.Sqrt(unique)));
    }

    /// <summary>
    /// <paramref name="model"/>'s probability for <paramref name="folded"/>, the same as
    /// <c>model.Probability(Extract(folded, model.Bits))</c> up to the order of summation, without sorting or
    /// allocating: distinct features are found with a per-thread bit set instead.
    /// </summary>
    public static double Probability(LinearModel model, string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        return Probability(model, folded.AsSpan());
    }

    /// <summary>The same as <see cref="Probability(LinearModel, string)"/> for folded text in a buffer.</summary>
    public static double Probability(LinearModel model, ReadOnlySpan<char> folded)
    {
        ArgumentNullException.ThrowIfNull(model);
        var size = 1 << model.Bits;
        if (t_seen is null || t_seen.Length != Math.Max(1, size >> 6))
        {
            t_seen = new ulong[Math.Max(1, size >> 6)];
            t_found = new float[size + 1];
        }

        var sink = new WeightSink(t_seen, model.WeightArray, t_found!);
        Hash(folded[..Math.Min(folded.Length, MaxChars)], size - 1, ref sink);
        Array.Clear(t_seen);
        if (sink.Unique == 0)
        {
            return 1 / (1 + Math.Exp(-model.Bias));
        }

        // Four sums instead of one chain of dependent additions (the same terms; the order of summation differs only
        // in the last bits of a double).
        var value = (float)(1 / Math.Sqrt(sink.Unique));
        var found = t_found.AsSpan(0, sink.Unique);
        double z0 = 0, z1 = 0, z2 = 0, z3 = 0;
        var i = 0;
        for (; i + 4 <= found.Length; i += 4)
        {
            z0 += found[i] * value;
            z1 += found[i + 1] * value;
            z2 += found[i + 2] * value;
            z3 += found[i + 3] * value;
        }

        for (; i < found.Length; i++)
        {
            z0 += found[i] * value;
        }

        var z = model.Bias + (z0 + z1 + (z2 + z3));
        return 1 / (1 + Math.Exp(-z));
    }

    [ThreadStatic]
    private static ulong[]? t_seen;

    [ThreadStatic]
    private static float[]? t_found;

    private interface ISink
    {
        void Add(int index);
    }

    private struct ListSink(List<int> hashes) : ISink
    {
        public readonly List<int> Hashes => hashes;

        public readonly void Add(int index) => hashes.Add(index);
    }

    // Weights of the distinct features, in the order they first occur. Without a branch: about half the features
    // are new, which a branch predicts badly; the weight is always written and the count moves on only for a new one
    // (found has one slot more than there are features, for the write after the last).
    private struct WeightSink(ulong[] seen, float[] weights, float[] found) : ISink
    {
        public int Unique { get; private set; }

        public void Add(int index)
        {
            ref var word = ref seen[index >> 6];
            var isNew = (int)(~word >> (index & 63)) & 1;
            word |= 1UL << (index & 63);
            found[Unique] = weights[index];
            Unique += isNew;
        }
    }

    private static void Hash<TSink>(ReadOnlySpan<char> text, int mask, ref TSink sink)
        where TSink : struct, ISink
    {
        // The text between two spaces, so every n-gram reads n characters without bounds tests.
        char[]? rented = null;
        var padded = text.Length <= 4094 ? stackalloc char[text.Length + 2] : (rented = ArrayPool<char>.Shared.Rent(text.Length + 2)).AsSpan(0, text.Length + 2);
        padded[0] = ' ';
        text.CopyTo(padded[1..]);
        padded[^1] = ' ';
        var i = Vector256.IsHardwareAccelerated ? HashVectorized(padded, mask, ref sink) : 0;

        // The 3-, 4- and 5-gram starting at each position, hashed in one pass as three independent chains.
        const uint seed3 = OffsetBasis ^ 3u, seed4 = OffsetBasis ^ 4u, seed5 = OffsetBasis ^ 5u;
        for (; i + 5 <= padded.Length; i++)
        {
            uint c0 = padded[i], c1 = padded[i + 1], c2 = padded[i + 2], c3 = padded[i + 3], c4 = padded[i + 4];
            var h3 = (((((seed3 ^ c0) * Prime) ^ c1) * Prime) ^ c2) * Prime;
            var h4 = (((((((seed4 ^ c0) * Prime) ^ c1) * Prime) ^ c2) * Prime) ^ c3) * Prime;
            var h5 = (((((((((seed5 ^ c0) * Prime) ^ c1) * Prime) ^ c2) * Prime) ^ c3) * Prime) ^ c4) * Prime;
            sink.Add((int)(Mix(h3) & mask));
            sink.Add((int)(Mix(h4) & mask));
            sink.Add((int)(Mix(h5) & mask));
        }

        // The last positions have no room for the longer n-grams.
        for (; i + 3 <= padded.Length; i++)
        {
            for (var n = 3; n <= 4 && i + n <= padded.Length; n++)
            {
                var h = OffsetBasis ^ (uint)n;
                foreach (var c in padded.Slice(i, n))
                {
                    h = (h ^ c) * Prime;
                }

                sink.Add((int)(Mix(h) & mask));
            }
        }

        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        AddWords(text, mask, ref sink);
    }

    // The same 3-, 4- and 5-gram hashes for eight positions at a time (one 32-bit lane each), handed to the sink in
    // the same order as the scalar loop; returns the first position left to the scalar loop.
    private static int HashVectorized<TSink>(ReadOnlySpan<char> padded, int mask, ref TSink sink)
        where TSink : struct, ISink
    {
        var prime = Vector256.Create(Prime);
        var seed3 = Vector256.Create(OffsetBasis ^ 3u);
        var seed4 = Vector256.Create(OffsetBasis ^ 4u);
        var seed5 = Vector256.Create(OffsetBasis ^ 5u);
        var masks = Vector256.Create((uint)mask);
        Span<uint> h3 = stackalloc uint[8], h4 = stackalloc uint[8], h5 = stackalloc uint[8];
        ref var start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(padded));
        var i = 0;

        // Each load reads 16 characters of which the lower 8 are used: positions i..i+7 need characters up to i+11.
        for (; i + 4 + Vector256<ushort>.Count <= padded.Length; i += 8)
        {
            var c0 = Vector256.WidenLower(Vector256.LoadUnsafe(ref start, (nuint)i));
            var c1 = Vector256.WidenLower(Vector256.LoadUnsafe(ref start, (nuint)(i + 1)));
            var c2 = Vector256.WidenLower(Vector256.LoadUnsafe(ref start, (nuint)(i + 2)));
            var c3 = Vector256.WidenLower(Vector256.LoadUnsafe(ref start, (nuint)(i + 3)));
            var c4 = Vector256.WidenLower(Vector256.LoadUnsafe(ref start, (nuint)(i + 4)));
            var a = (((((seed3 ^ c0) * prime) ^ c1) * prime) ^ c2) * prime;
            var b = (((((((seed4 ^ c0) * prime) ^ c1) * prime) ^ c2) * prime) ^ c3) * prime;
            var c = (((((((((seed5 ^ c0) * prime) ^ c1) * prime) ^ c2) * prime) ^ c3) * prime) ^ c4) * prime;
            (Mix(a) & masks).CopyTo(h3);
            (Mix(b) & masks).CopyTo(h4);
            (Mix(c) & masks).CopyTo(h5);
            for (var k = 0; k < 8; k++)
            {
                sink.Add((int)h3[k]);
                sink.Add((int)h4[k]);
                sink.Add((int)h5[k]);
            }
        }

        return i;
    }

    private static Vector256<uint> Mix(Vector256<uint> h)
    {
        h ^= Vector256.ShiftRightLogical(h, 16);
        h *= Vector256.Create(0x85ebca6bu);
        h ^= Vector256.ShiftRightLogical(h, 13);
        h *= Vector256.Create(0xc2b2ae35u);
        h ^= Vector256.ShiftRightLogical(h, 16);
        return h;
    }

    private static void AddWords<TSink>(ReadOnlySpan<char> text, int mask, ref TSink sink)
        where TSink : struct, ISink
    {
        uint previous = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                break;
            }

            var h = OffsetBasis ^ 0x9E37u;
            foreach (var c in text[start..i])
            {
                h = (h ^ c) * Prime;
            }

            sink.Add((int)(Mix(h) & mask));
            if (previous != 0)
            {
                sink.Add((int)(Mix((previous * 31) ^ h ^ 0x5bd1e995u) & mask));
            }

            previous = h;
        }
    }

    // Finalizer from MurmurHash3: spreads FNV's low bits before masking.
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
