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
    private static float[]? t_secondFound;

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

    // The model's 2^bits - 1: the stamps and the weights have 2^bits slots, the found buffer one more.
    private readonly nuint Mask => (nuint)_stamps.Length - 1;

    /// <summary>How many distinct features were added.</summary>
    public int Unique { get; private set; }

    /// <summary>
    /// A sink for <paramref name="model"/> on this thread's buffers (one text at a time per thread; with
    /// <paramref name="second"/>, on a second found buffer, so that its text's weights outlast the next text's).
    /// </summary>
    public static WeightSink For(LinearModel model, bool second = false)
    {
        var size = 1 << model.Bits;
        if (t_stamps is null || t_stamps.Length != size)
        {
            t_stamps = new byte[size];
            t_found = new float[size + 1];
            t_secondFound = null;
            t_stamp = 0;
        }

        var found = second ? t_secondFound ??= new float[size + 1] : t_found!;

        // Every slot holds a stamp no newer than the last one handed out, so the new stamp is in none.
        if (++t_stamp > byte.MaxValue)
        {
            Array.Clear(t_stamps);
            t_stamp = 1;
        }

        return new WeightSink(t_stamps, model.WeightArray, found, t_stamp);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Without bounds checks: <see cref="Step"/> masks <paramref name="index"/> to the model's 2^bits the buffers were
    /// sized for (callers already mask it; the step does again so that no index can reach past them), and
    /// <see cref="Unique"/> never exceeds the number of distinct indices.
    /// </remarks>
    public void Add(int index)
    {
        Debug.Assert((uint)index < (uint)_weights.Length, "the index is masked to the model's hash space");
        Unique = (int)Step(ref MemoryMarshal.GetArrayDataReference(_stamps), ref MemoryMarshal.GetArrayDataReference(_weights), ref MemoryMarshal.GetArrayDataReference(_found), (nuint)Unique, index, _stamp, Mask);
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
        nint stamp = _stamp;
        var mask = Mask;
        for (nint i = 0; i < h5.Length; i++)
        {
            unique = Step(ref stamps, ref weights, ref found, unique, Unsafe.Add(ref a, i), stamp, mask);
            unique = Step(ref stamps, ref weights, ref found, unique, Unsafe.Add(ref b, i), stamp, mask);
            unique = Step(ref stamps, ref weights, ref found, unique, Unsafe.Add(ref c, i), stamp, mask);
        }

        Unique = (int)unique;
    }

    /// <inheritdoc />
    /// <remarks>The whole words of a window (<see cref="WindowWords"/>), in a loop like that of <see cref="AddTriples"/>.</remarks>
    public void AddPairs(ReadOnlySpan<int> first, ReadOnlySpan<int> second)
    {
        // Throws unless the second reaches as far as the first, so the loop may read without checks.
        second = second[..first.Length];
        ref var stamps = ref MemoryMarshal.GetArrayDataReference(_stamps);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        ref var found = ref MemoryMarshal.GetArrayDataReference(_found);
        ref var a = ref MemoryMarshal.GetReference(first);
        ref var b = ref MemoryMarshal.GetReference(second);
        var unique = (nuint)Unique;
        nint stamp = _stamp;
        var mask = Mask;
        for (nint i = 0; i < first.Length; i++)
        {
            unique = Step(ref stamps, ref weights, ref found, unique, Unsafe.Add(ref a, i), stamp, mask);
            unique = Step(ref stamps, ref weights, ref found, unique, Unsafe.Add(ref b, i), stamp, mask);
        }

        Unique = (int)unique;
    }

    // Stamps index, writes its weight after the distinct ones so far, and returns the count, one more if it was new
    // (its slot held an older stamp, so the difference is negative). Unsigned native-width offsets, so no sign
    // extensions are emitted. The index is masked here too, one instruction: the reads and writes below are unchecked,
    // and the text they come from is a caller's input, so their bounds do not rest on every caller's masking alone.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Step(ref byte stamps, ref float weights, ref float found, nuint unique, int index, nint stamp, nuint mask)
    {
        var at = (nuint)(uint)index & mask;
        var isNew = (nuint)(Unsafe.Add(ref stamps, at) - stamp) >> 63;
        Unsafe.Add(ref stamps, at) = (byte)stamp;
        Unsafe.Add(ref found, unique) = Unsafe.Add(ref weights, at);
        return unique + isNew;
    }

    /// <summary>
    /// The model's probability for the distinct features added, each valued 1/√count (a unit vector). Four sums
    /// instead of one chain of dependent additions (the same terms; the order of summation differs from the sorted
    /// feature vector's only in the last bits of a double), eight terms at a time where the hardware allows.
    /// </summary>
    public readonly double Probability(float bias)
    {
        if (Unique == 0)
        {
            return Logistic(bias);
        }

        var found = _found.AsSpan(0, Unique);
        var value = Value(Unique);
        var eights = Vector256.IsHardwareAccelerated ? found.Length & ~7 : 0;
        return Finish(found, value, eights, SumEights(found, value, 0, eights, Vector256<double>.Zero), bias);
    }

    /// <summary>
    /// The probabilities of two sinks' texts, each exactly as <see cref="Probability(float)"/> gives it, with their sums
    /// interleaved: each is a chain of dependent additions, so two run in about the time of one. The sinks must not
    /// share a found buffer (one from <see cref="For(LinearModel, bool)"/> with second set).
    /// </summary>
    public static (double First, double Second) Probabilities(in WeightSink first, in WeightSink second, float bias)
    {
        if (!Vector256.IsHardwareAccelerated || first.Unique == 0 || second.Unique == 0)
        {
            return (first.Probability(bias), second.Probability(bias));
        }

        Debug.Assert(first._found != second._found, "each sink has its own found buffer");
        var a = first._found.AsSpan(0, first.Unique);
        var b = second._found.AsSpan(0, second.Unique);
        float valueA = Value(a.Length), valueB = Value(b.Length);
        Vector256<float> valuesA = Vector256.Create(valueA), valuesB = Vector256.Create(valueB);
        ref var startA = ref MemoryMarshal.GetReference(a);
        ref var startB = ref MemoryMarshal.GetReference(b);
        Vector256<double> sumsA = Vector256<double>.Zero, sumsB = Vector256<double>.Zero;
        var both = Math.Min(a.Length, b.Length) & ~7;
        for (var i = 0; i < both; i += 8)
        {
            sumsA = AddEight(ref startA, i, valuesA, sumsA);
            sumsB = AddEight(ref startB, i, valuesB, sumsB);
        }

        sumsA = SumEights(a, valueA, both, a.Length & ~7, sumsA);
        sumsB = SumEights(b, valueB, both, b.Length & ~7, sumsB);
        return (Finish(a, valueA, a.Length & ~7, sumsA, bias), Finish(b, valueB, b.Length & ~7, sumsB, bias));
    }

    private static double Logistic(double z) => 1 / (1 + Math.Exp(-z));

    private static float Value(int unique) => (float)(1 / Math.Sqrt(unique));

    // Adds the terms [from, to) (a multiple of 8 apart) to sums eight at a time.
    private static Vector256<double> SumEights(ReadOnlySpan<float> found, float value, int from, int to, Vector256<double> sums)
    {
        var values = Vector256.Create(value);
        ref var start = ref MemoryMarshal.GetReference(found);
        for (var i = from; i < to; i += 8)
        {
            sums = AddEight(ref start, i, values, sums);
        }

        return sums;
    }

    // Adds the eight terms from i: lane k of the sums is the k-th of the four scalar sums of Finish, with the same
    // float products widened and added in the same order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> AddEight(ref float start, int i, Vector256<float> values, Vector256<double> sums)
    {
        var products = Vector256.LoadUnsafe(ref start, (nuint)i) * values;
        return sums + Vector256.WidenLower(products) + Vector256.WidenUpper(products);
    }

    // The four sums from term i on, the ones before it being in the lanes of sums, and the logistic of their total.
    private static double Finish(ReadOnlySpan<float> found, float value, int i, Vector256<double> sums, float bias)
    {
        var (z0, z1, z2, z3) = (sums[0], sums[1], sums[2], sums[3]);
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

        return Logistic(bias + (z0 + z1 + (z2 + z3)));
    }
}
