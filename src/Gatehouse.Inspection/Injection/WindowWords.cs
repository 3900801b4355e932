using System.Runtime.Intrinsics;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// The words of a long folded text, found and hashed once and shared by the overlapping windows of
/// <see cref="DirectWindows"/>, as <see cref="WindowNGrams"/> shares the character n-grams. A window hands its sink
/// exactly the indices, in exactly the order, that <see cref="FeatureHasher.AddWords"/> gives the window's text
/// alone: the words inside the window are the text's, whose unigram and bigram indices lie in one run, in the
/// window's order, so they go to the sink as one span; a word cut by a window edge is hashed as the part inside, and
/// so is the bigram that follows it.
/// </summary>
internal ref struct WindowWords
{
    private const uint WordSeed = FeatureHasher.OffsetBasis ^ 0x9E37u;

    private readonly ReadOnlySpan<char> _text;
    private readonly Span<int> _starts;
    private readonly Span<int> _ends;
    private readonly Span<int> _hashes;

    // Word k's unigram, and its bigram with word k - 1 (-1 for the first word): the features of words a..b, all inside
    // a window, are unigram a and then the pairs (unigram, bigram) of a + 1..b.
    private readonly Span<int> _unigrams;
    private readonly Span<int> _bigrams;
    private readonly int _count;
    private readonly int _mask;

    // A word whose hash is 0, which FeatureHasher.AddWords takes for "no word before": such a text goes word by word.
    private readonly bool _zeroHash;

    // The first word that may reach into the next window (windows come in order of their starts).
    private int _cursor;

    /// <summary>Finds and hashes the words of <paramref name="text"/>, with a buffer of <see cref="BufferInts"/>(text length) ints.</summary>
    public WindowWords(ReadOnlySpan<char> text, Span<int> buffer, int mask)
    {
        var capacity = Capacity(text.Length);
        _text = text;
        _starts = buffer[..capacity];
        _ends = buffer.Slice(capacity, capacity);
        _hashes = buffer.Slice(2 * capacity, capacity);
        _unigrams = buffer.Slice(3 * capacity, capacity);
        _bigrams = buffer.Slice(4 * capacity, capacity);
        _mask = mask;

        _count = WordScanner.Scan(text, _starts, _ends, _hashes, WordSeed);
        _zeroHash = Features(_hashes[.._count], _unigrams, _bigrams, mask);
    }

    /// <summary>Ints of buffer needed for a text of <paramref name="length"/> characters.</summary>
    public static int BufferInts(int length) => 5 * Capacity(length);

    /// <summary>Hands <paramref name="sink"/> the word unigrams and bigrams of the window of <paramref name="length"/> characters at <paramref name="start"/>.</summary>
    public void Add<TSink>(int start, int length, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        var end = start + length;
        _cursor = UpperBound(_ends, _cursor, _count, start);
        if (_zeroHash)
        {
            AddEach(start, end, ref sink);
            return;
        }

        var k = _cursor;
        if (k == _count || _starts[k] >= end)
        {
            return;
        }

        // A local copy of the sink, so its count can live in a register (as in WindowNGrams).
        var local = sink;

        // The first word, whole or cut by either edge.
        uint previous;
        var previousWhole = _starts[k] >= start && _ends[k] <= end;
        if (previousWhole)
        {
            previous = (uint)_hashes[k];
            local.Add(_unigrams[k]);
        }
        else
        {
            previous = Hash(Math.Max(_starts[k], start), Math.Min(_ends[k], end));
            local.Add(Unigram(previous));
        }

        // The words after it that end inside the window, [k, whole): one run of features, after the first bigram
        // when the word before them was cut.
        k++;
        var whole = UpperBound(_ends, k, _count, end);
        if (k < whole)
        {
            if (previousWhole)
            {
                local.AddPairs(_unigrams[k..whole], _bigrams[k..whole]);
            }
            else
            {
                local.Add(_unigrams[k]);
                if (previous != 0)
                {
                    local.Add(Bigram(previous, (uint)_hashes[k]));
                }

                local.AddPairs(_unigrams[(k + 1)..whole], _bigrams[(k + 1)..whole]);
            }

            previous = (uint)_hashes[whole - 1];
        }

        // The word cut by the window's end, if any.
        if (whole < _count && _starts[whole] < end)
        {
            var h = Hash(_starts[whole], end);
            local.Add(Unigram(h));
            if (previous != 0)
            {
                local.Add(Bigram(previous, h));
            }
        }

        sink = local;
    }

    // The unigram and bigram indices of each word (eight at a time where the hardware allows); true when a hash is 0.
    private static bool Features(ReadOnlySpan<int> hashes, Span<int> unigrams, Span<int> bigrams, int mask)
    {
        if (hashes.IsEmpty)
        {
            return false;
        }

        unigrams[0] = (int)(FeatureHasher.Mix((uint)hashes[0]) & (uint)mask);
        bigrams[0] = -1;
        var zero = hashes[0] == 0;
        var k = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var masks = Vector256.Create((uint)mask);
            var zeros = Vector256<uint>.Zero;
            for (; k + Vector256<int>.Count <= hashes.Length; k += Vector256<int>.Count)
            {
                var h = Vector256.Create(hashes.Slice(k, Vector256<int>.Count)).AsUInt32();
                var previous = Vector256.Create(hashes.Slice(k - 1, Vector256<int>.Count)).AsUInt32();
                var bigram = FeatureHasher.Mix((previous * 31) ^ h ^ Vector256.Create(0x5bd1e995u)) & masks;
                (FeatureHasher.Mix(h) & masks).AsInt32().CopyTo(unigrams[k..]);
                Vector256.ConditionalSelect(Vector256.Equals(previous, zeros), Vector256<uint>.AllBitsSet, bigram).AsInt32().CopyTo(bigrams[k..]);
                zero |= Vector256.EqualsAny(h, zeros);
            }
        }

        for (; k < hashes.Length; k++)
        {
            var (previous, h) = ((uint)hashes[k - 1], (uint)hashes[k]);
            unigrams[k] = (int)(FeatureHasher.Mix(h) & (uint)mask);
            bigrams[k] = previous != 0 ? (int)(FeatureHasher.Mix((previous * 31) ^ h ^ 0x5bd1e995u) & (uint)mask) : -1;
            zero |= h == 0;
        }

        return zero;
    }

    // The same, word by word (for a text with a word whose hash is 0).
    private readonly void AddEach<TSink>(int start, int end, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        uint previous = 0;
        var previousWhole = false;
        for (var k = _cursor; k < _count && _starts[k] < end; k++)
        {
            var whole = _starts[k] >= start && _ends[k] <= end;
            var h = whole ? (uint)_hashes[k] : Hash(Math.Max(_starts[k], start), Math.Min(_ends[k], end));
            sink.Add(whole ? _unigrams[k] : Unigram(h));
            if (previous != 0)
            {
                sink.Add(whole && previousWhole ? _bigrams[k] : Bigram(previous, h));
            }

            previous = h;
            previousWhole = whole;
        }
    }

    // The first index in [from, to) whose value is above value (to if none); values ascend.
    private static int UpperBound(ReadOnlySpan<int> values, int from, int to, int value)
    {
        while (from < to)
        {
            var middle = (int)((uint)(from + to) >> 1);
            if (values[middle] <= value)
            {
                from = middle + 1;
            }
            else
            {
                to = middle;
            }
        }

        return from;
    }

    // At most one word per two characters, plus one.
    private static int Capacity(int length) => (length / 2) + 1;

    private readonly uint Hash(int from, int to) => FeatureHasher.Fnv(WordSeed, _text[from..to]);

    private readonly int Unigram(uint h) => (int)(FeatureHasher.Mix(h) & (uint)_mask);

    private readonly int Bigram(uint previous, uint h) => (int)(FeatureHasher.Mix((previous * 31) ^ h ^ 0x5bd1e995u) & (uint)_mask);
}
