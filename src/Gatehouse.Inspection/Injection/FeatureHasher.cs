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

    /// <summary>FNV-1a's offset basis (each n-gram length starts from it xor n).</summary>
    internal const uint OffsetBasis = 2166136261;

    /// <summary>FNV-1a's prime.</summary>
    internal const uint Prime = 16777619;

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
    /// allocating: distinct features are found with a per-thread table of stamps instead.
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
        var sink = WeightSink.For(model);
        Hash(folded[..Math.Min(folded.Length, MaxChars)], (1 << model.Bits) - 1, ref sink);
        return sink.Probability(model.Bias);
    }

    /// <summary>FNV-1a of <paramref name="chars"/> continued from <paramref name="hash"/>.</summary>
    internal static uint Fnv(uint hash, ReadOnlySpan<char> chars)
    {
        foreach (var c in chars)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }

    private struct ListSink(List<int> hashes) : IFeatureSink
    {
        public readonly List<int> Hashes => hashes;

        public readonly void Add(int index) => hashes.Add(index);

        public readonly void AddTriples(ReadOnlySpan<int> h3, ReadOnlySpan<int> h4, ReadOnlySpan<int> h5)
        {
            for (var i = 0; i < h5.Length; i++)
            {
                hashes.Add(h3[i]);
                hashes.Add(h4[i]);
                hashes.Add(h5[i]);
            }
        }

        public readonly void AddPairs(ReadOnlySpan<int> first, ReadOnlySpan<int> second)
        {
            for (var i = 0; i < first.Length; i++)
            {
                hashes.Add(first[i]);
                hashes.Add(second[i]);
            }
        }
    }

    private static void Hash<TSink>(ReadOnlySpan<char> text, int mask, ref TSink sink)
        where TSink : struct, IFeatureSink
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
                sink.Add((int)(Mix(Fnv(OffsetBasis ^ (uint)n, padded.Slice(i, n))) & mask));
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
        where TSink : struct, IFeatureSink
    {
        var masks = Vector256.Create((uint)mask);
        Span<int> h3 = stackalloc int[8], h4 = stackalloc int[8], h5 = stackalloc int[8];
        ref var start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(padded));
        var i = 0;

        // A local copy of the sink, so its count can live in a register instead of going through memory on every add.
        var local = sink;
        for (; i + 4 + Vector256<ushort>.Count <= padded.Length; i += 8)
        {
            var (a, b, c) = HashEight(ref start, (nuint)i, masks);
            a.AsInt32().CopyTo(h3);
            b.AsInt32().CopyTo(h4);
            c.AsInt32().CopyTo(h5);
            local.AddTriples(h3, h4, h5);
        }

        sink = local;
        return i;
    }

    /// <summary>
    /// The masked 3-, 4- and 5-gram hashes of the eight positions from <paramref name="at"/> (one 32-bit lane each).
    /// Each load reads 16 characters of which the lower 8 are used: the caller has characters up to at + 19.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<uint> H3, Vector256<uint> H4, Vector256<uint> H5) HashEight(ref ushort chars, nuint at, Vector256<uint> mask)
    {
        var prime = Vector256.Create(Prime);
        var c0 = Vector256.WidenLower(Vector256.LoadUnsafe(ref chars, at));
        var c1 = Vector256.WidenLower(Vector256.LoadUnsafe(ref chars, at + 1));
        var c2 = Vector256.WidenLower(Vector256.LoadUnsafe(ref chars, at + 2));
        var c3 = Vector256.WidenLower(Vector256.LoadUnsafe(ref chars, at + 3));
        var c4 = Vector256.WidenLower(Vector256.LoadUnsafe(ref chars, at + 4));
        var h3 = (((((Vector256.Create(OffsetBasis ^ 3u) ^ c0) * prime) ^ c1) * prime) ^ c2) * prime;
        var h4 = (((((((Vector256.Create(OffsetBasis ^ 4u) ^ c0) * prime) ^ c1) * prime) ^ c2) * prime) ^ c3) * prime;
        var h5 = (((((((((Vector256.Create(OffsetBasis ^ 5u) ^ c0) * prime) ^ c1) * prime) ^ c2) * prime) ^ c3) * prime) ^ c4) * prime;
        return (Mix(h3) & mask, Mix(h4) & mask, Mix(h5) & mask);
    }

    /// <summary>The finalizer of <see cref="Mix(uint)"/> on eight hashes at a time.</summary>
    /// <remarks>Inlined: a call would make the caller save its vector registers around it (all are caller-saved).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> Mix(Vector256<uint> h)
    {
        h ^= Vector256.ShiftRightLogical(h, 16);
        h *= Vector256.Create(0x85ebca6bu);
        h ^= Vector256.ShiftRightLogical(h, 13);
        h *= Vector256.Create(0xc2b2ae35u);
        h ^= Vector256.ShiftRightLogical(h, 16);
        return h;
    }

    /// <summary>Hands <paramref name="sink"/> the word unigrams and bigrams of <paramref name="text"/> (a word cut by the text's ends counts as cut).</summary>
    internal static void AddWords<TSink>(ReadOnlySpan<char> text, int mask, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        uint previous = 0;
        var i = 0;
        while (NextWord(text, ref i, out var start))
        {
            var h = Fnv(OffsetBasis ^ 0x9E37u, text[start..i]);
            sink.Add((int)(Mix(h) & mask));
            if (previous != 0)
            {
                sink.Add((int)(Mix((previous * 31) ^ h ^ 0x5bd1e995u) & mask));
            }

            previous = h;
        }
    }

    /// <summary>
    /// Moves <paramref name="end"/> past the next word (run of letters and digits) at or after it, whose start is
    /// <paramref name="start"/>; false when no word is left.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool NextWord(ReadOnlySpan<char> text, ref int end, out int start)
    {
        var i = end;
        while (i < text.Length && !char.IsLetterOrDigit(text[i]))
        {
            i++;
        }

        start = i;
        while (i < text.Length && char.IsLetterOrDigit(text[i]))
        {
            i++;
        }

        end = i;
        return i > start;
    }

    /// <summary>Finalizer from MurmurHash3: spreads FNV's low bits before masking.</summary>
    internal static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
