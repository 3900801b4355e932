namespace Gatehouse.Inspection.Injection;

/// <summary>
/// The words of a long folded text, found and hashed once and shared by the overlapping windows of
/// <see cref="DirectWindows"/>, as <see cref="WindowNGrams"/> shares the character n-grams. A window hands its sink
/// exactly the indices, in exactly the order, that <see cref="FeatureHasher.AddWords"/> gives the window's text
/// alone: the words inside the window are the text's (with their unigram and bigram indices computed once); a word
/// cut by a window edge is hashed as the part inside, and so is the bigram that follows it.
/// </summary>
internal ref struct WindowWords
{
    private const uint WordSeed = FeatureHasher.OffsetBasis ^ 0x9E37u;

    private readonly ReadOnlySpan<char> _text;
    private readonly Span<int> _starts;
    private readonly Span<int> _ends;
    private readonly Span<int> _hashes;
    private readonly Span<int> _unigrams;
    private readonly Span<int> _bigrams;
    private readonly int _count;
    private readonly int _mask;

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

        // The same scan as FeatureHasher.AddWords over the whole text.
        uint previous = 0;
        var count = 0;
        var i = 0;
        while (FeatureHasher.NextWord(text, ref i, out var start))
        {
            var h = FeatureHasher.Fnv(WordSeed, text[start..i]);
            _starts[count] = start;
            _ends[count] = i;
            _hashes[count] = (int)h;
            _unigrams[count] = Unigram(h);
            _bigrams[count] = previous != 0 ? Bigram(previous, h) : -1;
            previous = h;
            count++;
        }

        _count = count;
    }

    /// <summary>Ints of buffer needed for a text of <paramref name="length"/> characters.</summary>
    public static int BufferInts(int length) => 5 * Capacity(length);

    /// <summary>Hands <paramref name="sink"/> the word unigrams and bigrams of the window of <paramref name="length"/> characters at <paramref name="start"/>.</summary>
    public void Add<TSink>(int start, int length, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        var end = start + length;
        while (_cursor < _count && _ends[_cursor] <= start)
        {
            _cursor++;
        }

        // A local copy of the sink, so its count can live in a register (as in WindowNGrams).
        var local = sink;
        uint previous = 0;
        var previousWhole = false;
        for (var k = _cursor; k < _count && _starts[k] < end; k++)
        {
            var whole = _starts[k] >= start && _ends[k] <= end;
            uint h;
            if (whole)
            {
                h = (uint)_hashes[k];
                local.Add(_unigrams[k]);
            }
            else
            {
                var from = Math.Max(_starts[k], start);
                h = FeatureHasher.Fnv(WordSeed, _text[from..Math.Min(_ends[k], end)]);
                local.Add(Unigram(h));
            }

            if (previous != 0)
            {
                local.Add(whole && previousWhole ? _bigrams[k] : Bigram(previous, h));
            }

            previous = h;
            previousWhole = whole;
        }

        sink = local;
    }

    // At most one word per two characters, plus one.
    private static int Capacity(int length) => (length / 2) + 1;

    private readonly int Unigram(uint h) => (int)(FeatureHasher.Mix(h) & (uint)_mask);

    private readonly int Bigram(uint previous, uint h) => (int)(FeatureHasher.Mix((previous * 31) ^ h ^ 0x5bd1e995u) & (uint)_mask);
}
