using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Collects the weights of the distinct features of one text, in the order they first occur, and turns them into the
/// model's probability. Distinct features are found with a per-thread bit set instead of sorting. Without a branch:
/// about half the features are new, which a branch predicts badly; the weight is always written and the count moves
/// on only for a new one (the weight buffer has one slot more than there are features, for the write after the last).
/// </summary>
internal struct WeightSink : IFeatureSink
{
    [ThreadStatic]
    private static ulong[]? t_seen;

    [ThreadStatic]
    private static float[]? t_found;

    private readonly ulong[] _seen;
    private readonly float[] _weights;
    private readonly float[] _found;

    private WeightSink(ulong[] seen, float[] weights, float[] found)
    {
        _seen = seen;
        _weights = weights;
        _found = found;
    }

    /// <summary>How many distinct features were added.</summary>
    public int Unique { get; private set; }

    /// <summary>A sink for <paramref name="model"/> on this thread's buffers (one text at a time per thread).</summary>
    public static WeightSink For(LinearModel model)
    {
        var size = 1 << model.Bits;
        if (t_seen is null || t_seen.Length != Math.Max(1, size >> 6))
        {
            t_seen = new ulong[Math.Max(1, size >> 6)];
            t_found = new float[size + 1];
        }

        return new WeightSink(t_seen, model.WeightArray, t_found!);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Without bounds checks: <paramref name="index"/> is masked to the model's 2^bits the buffers were sized for, and
    /// <see cref="Unique"/> never exceeds the number of distinct indices.
    /// </remarks>
    public void Add(int index)
    {
        Debug.Assert((uint)index < (uint)_weights.Length, "the index is masked to the model's hash space");
        ref var word = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_seen), index >> 6);
        var isNew = (int)(~word >> (index & 63)) & 1;
        word |= 1UL << (index & 63);
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_found), Unique) = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights), index);
        Unique += isNew;
    }

    /// <summary>
    /// The model's probability for the distinct features added, each valued 1/√count (a unit vector); clears the bit
    /// set for the next text. Four sums instead of one chain of dependent additions (the same terms; the order of
    /// summation differs from the sorted feature vector's only in the last bits of a double).
    /// </summary>
    public readonly double Probability(float bias)
    {
        Array.Clear(_seen);
        if (Unique == 0)
        {
            return 1 / (1 + Math.Exp(-bias));
        }

        var value = (float)(1 / Math.Sqrt(Unique));
        var found = _found.AsSpan(0, Unique);
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

        var z = bias + (z0 + z1 + (z2 + z3));
        return 1 / (1 + Math.Exp(-z));
    }
}
