using System.Buffers;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// How the direct model reads long input: folded text of up to <see cref="Chars"/> characters is scored whole; longer
/// text (a request with pasted documents or code) in windows of <see cref="Chars"/> every <see cref="Stride"/>
/// characters, the highest window counting. One bag of n-grams over a whole long text averages an attack away
/// among thousands of benign features; a window keeps it at the weight it has in a prompt of ordinary length.
/// Training (<see cref="InjectionModelTrainer"/>) and cross-validation read texts the same way. Windows overlap by a
/// quarter (the last one ends at the end), so a long text costs about 1.33 times one bag of it. Measured on
/// eval/benign-long.jsonl (docs/inspection.md): windows of 1,024 caught 90 of 100 hidden attacks, windows of 512 98.
/// </summary>
public static class DirectWindows
{
    /// <summary>Longest folded text scored whole, and the window length beyond it.</summary>
    public const int Chars = 512;

    /// <summary>Distance between window starts (an attack of up to <see cref="Chars"/> − <see cref="Stride"/> characters lies whole in one window).</summary>
    public const int Stride = 384;

    /// <summary>How many windows a folded text of <paramref name="length"/> characters is read in.</summary>
    public static int Count(int length) => length <= Chars ? 1 : 1 + ((length - Chars + Stride - 1) / Stride);

    /// <summary>Window <paramref name="index"/> of a folded text of <paramref name="length"/> characters (the last one ends at the end).</summary>
    public static (int Start, int Length) Get(int length, int index) =>
        length <= Chars ? (0, length) : (Math.Min(index * Stride, length - Chars), Chars);

    /// <summary>
    /// The highest probability <paramref name="model"/> gives a window of <paramref name="folded"/>: for each window
    /// the same as <see cref="FeatureHasher.Probability(LinearModel, ReadOnlySpan{char})"/> of its text, with the
    /// character n-grams and the words the windows share hashed once (<see cref="WindowNGrams"/>, <see cref="WindowWords"/>).
    /// </summary>
    public static double Probability(LinearModel model, ReadOnlySpan<char> folded)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (folded.Length <= Chars)
        {
            return FeatureHasher.Probability(model, folded);
        }

        var mask = (1 << model.Bits) - 1;
        var padded = ArrayPool<char>.Shared.Rent(folded.Length + WindowNGrams.Padding);
        var wordBuffer = ArrayPool<int>.Shared.Rent(WindowWords.BufferInts(folded.Length));
        try
        {
            var ngrams = new WindowNGrams(folded, padded, stackalloc int[WindowNGrams.BufferInts], mask);
            var words = new WindowWords(folded, wordBuffer, mask);

            // Windows in pairs: an even window's weights wait in the first found buffer while the next window's go to
            // the second, then both sums run together.
            var best = 0.0;
            var count = Count(folded.Length);
            var waiting = default(WeightSink);
            for (var i = 0; i < count; i++)
            {
                var (start, length) = Get(folded.Length, i);
                var odd = (i & 1) == 1;
                var sink = WeightSink.For(model, second: odd);
                ngrams.Add(start, length, ref sink);
                words.Add(start, length, ref sink);
                if (odd)
                {
                    var (p, q) = WeightSink.Probabilities(waiting, sink, model.Bias);
                    best = Math.Max(best, Math.Max(p, q));
                }
                else if (i + 1 == count)
                {
                    best = Math.Max(best, sink.Probability(model.Bias));
                }
                else
                {
                    waiting = sink;
                }
            }

            return best;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(padded);
            ArrayPool<int>.Shared.Return(wordBuffer);
        }
    }
}
