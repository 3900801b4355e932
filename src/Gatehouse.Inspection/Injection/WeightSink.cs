using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Collects the weights of the distinct features of one text, in the order they first occur, and turns them into the
/// model's probability. Distinct features are found with a per-thread table of stamps, one byte per feature: each text
/// (each sink) takes the next stamp, so a feature is new when its slot holds an older one, and nothing is cleared
/// between texts (the table is cleared once every 255). Without a branch: about half the features are new, which a
/// branch predicts badly; the weight is always written and the count moves on only for a new one (the weight buffer
/// has one slot more than there are features, for the write after the last).
/// </summary>
internal struct WeightSink : IFeatureSink
{
    [ThreadStatic]
    private static byte[]? t_stamps;

    [ThreadStatic]
    private static float[]? t_found;

    [ThreadStatic]
    private static int t_stamp;

    private readonly byte[] _stamps;
    private readonly float[] _weights;
    private readonly float[] _found;
    private readonly int _stamp;

    private WeightSink(byte[] stamps, float[] weights, float[] found, int stamp)
    {
        _stamps = stamps;
        _weights = weights;
        _found = found;
        _stamp = stamp;
    }

    /// <summary>How many distinct features were added.</summary>
    public int Unique { get; private set; }

    /// <summary>A sink for <paramref name="model"/> on this thread's buffers (one text at a time per thread).</summary>
    public static WeightSink For(LinearModel model)
    {
        var size = 1 << model.Bits;
        if (t_stamps is null || t_stamps.Length != size)
        {
            t_stamps = new byte[size];
            t_found = new float[size + 1];
            t_stamp = 0;
        }

        // Every slot holds a stamp no newer than the last one handed out, so the new stamp is in none.
        if (++t_stamp > byte.MaxValue)
        {
            Array.Clear(t_stamps);
            t_stamp = 1;
        }

        return new WeightSink(t_stamps, model.WeightArray, t_found!, t_stamp);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Without bounds checks: <paramref name="index"/> is masked to the model's 2^bits the buffers were sized for, and
    /// <see cref="Unique"/> never exceeds the number of distinct indices.
    /// </remarks>
    public void Add(int index)
    {
        Debug.Assert((uint)index < (uint)_weights.Length, "the index is masked to the model's hash space");
        Unique = (int)Step(ref MemoryMarshal.GetArrayDataReference(_stamps), ref MemoryMarshal.GetArrayDataReference(_weights), ref MemoryMarshal.GetArrayDataReference(_found), (nuint)Unique, index, _stamp);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The hot loop of the windowed scorer (about 17,000 of a 4 KB prompt's 19,000 features): the same steps as
    /// <see cref="Add"/>, with the buffers and the count held in registers and the three spans read without bounds
    /// checks. (The JIT spilled the generic loop's spans and sink fields to the stack: about 25 instructions per
    /// feature.)
    /// </remarks>
    public void AddTriples(ReadOnlySpan<int> h3, ReadOnlySpan<int> h4, ReadOnlySpan<int> h5)
    {
        // Throws unless the 3- and 4-grams reach at least as far as the 5-grams, so the loop may read without checks.
        h3 = h3[..h5.Length];
        h4 = h4[..h5.Length];
        ref var stamps = ref MemoryMarshal.GetArrayDataReference(_stamps);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        ref var found = ref MemoryMarshal.GetArrayDataReference(_found);
        ref var a = ref MemoryMarshal.GetReference(h3);
        ref var b = ref MemoryMarshal.GetReference(h4);
        ref var c = ref MemoryMarshal.GetReference(h5);
        var unique = (nuint)Unique;
        var stamp = _stamp;
        for (nint i = 0; i < h5.Length; i++)
        {
            unique = Step(ref stamps, ref weights, ref found, unique, Unsafe.Add(ref a, i), stamp);
            unique = Step(ref stamps, ref weights, ref found, unique, Unsafe.Add(ref b, i), stamp);
            unique = Step(ref stamps, ref weights, ref found, unique, Unsafe.Add(ref c, i), stamp);
        }

        Unique = (int)unique;
    }

    /// <inheritdoc />
    /// <remarks>The words of a window (<see cref="WindowWords"/>), in the same loop as <see cref="AddTriples"/>.</remarks>
    public void AddRange(ReadOnlySpan<int> indices)
    {
        ref var stamps = ref MemoryMarshal.GetArrayDataReference(_stamps);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        ref var found = ref MemoryMarshal.GetArrayDataReference(_found);
        ref var at = ref MemoryMarshal.GetReference(indices);
        var unique = (nuint)Unique;
        var stamp = _stamp;
        for (nint i = 0; i < indices.Length; i++)
        {
            unique = Step(ref stamps, ref weights, ref found, unique, Unsafe.Add(ref at, i), stamp);
        }

        Unique = (int)unique;
    }

    // Stamps index, writes its weight after the distinct ones so far, and returns the count, one more if it was new
    // (its slot held an older stamp, so the difference is negative). Unsigned native-width offsets, so no sign
    // extensions are emitted.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Step(ref byte stamps, ref float weights, ref float found, nuint unique, int index, int stamp)
    {
        var at = (nuint)(uint)index;
        ref var slot = ref Unsafe.Add(ref stamps, at);
        var isNew = (uint)(slot - stamp) >> 31;
        slot = (byte)stamp;
        Unsafe.Add(ref found, unique) = Unsafe.Add(ref weights, at);
        return unique + isNew;
    }

    /// <summary>
    /// The model's probability for the distinct features added, each valued 1/√count (a unit vector); clears the bit
    /// set for the next text. Four sums instead of one chain of dependent additions (the same terms; the order of
    /// summation differs from the sorted feature vector's only in the last bits of a double), eight terms at a time
    /// where the hardware allows.
    /// </summary>
    public readonly double Probability(float bias)
    {
        if (Unique == 0)
        {
            return 1 / (1 + Math.Exp(-bias));
        }

        var value = (float)(1 / Math.Sqrt(Unique));
        var found = _found.AsSpan(0, Unique);
        double z0 = 0, z1 = 0, z2 = 0, z3 = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Lane k of the sum is zk: the same float products, widened and added in the same order.
            var sums = Vector256<double>.Zero;
            var values = Vector256.Create(value);
            ref var start = ref MemoryMarshal.GetReference(found);
            for (; i + 8 <= found.Length; i += 8)
            {
                var products = Vector256.LoadUnsafe(ref start, (nuint)i) * values;
                sums += Vector256.WidenLower(products);
                sums += Vector256.WidenUpper(products);
            }

            (z0, z1, z2, z3) = (sums[0], sums[1], sums[2], sums[3]);
        }

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

        var z = bias + (z0 + z1 + (z2 + z3));
        return 1 / (1 + Math.Exp(-z));
    }
}
