using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// The character 3-, 4- and 5-gram hashes of a long folded text, computed once per position and shared by the
/// overlapping windows of <see cref="DirectWindows"/> (hashing each window on its own repeats the quarter they share).
/// A window hands its sink exactly the indices, in exactly the order, that <see cref="FeatureHasher"/> gives the
/// window's text alone: the n-grams inside the window are the text's; the few that touch the space padding either end
/// of the window are hashed apart.
/// </summary>
internal ref struct WindowNGrams
{
    /// <summary>Characters the padded-text buffer needs beyond the text (a leading space, blocks that read past the end).</summary>
    public const int Padding = 32;

    /// <summary>Ints the hash buffer needs: three hashes for a window's positions, plus a block's overrun.</summary>
    public const int BufferInts = 3 * Capacity;

    private const int Capacity = DirectWindows.Chars + 8;

    // ' ' + text + spaces: padded position p holds text[p - 1], as in the padded window FeatureHasher reads.
    private readonly ReadOnlySpan<char> _padded;
    private readonly Span<int> _h3;
    private readonly Span<int> _h4;
    private readonly Span<int> _h5;
    private readonly int _mask;

    // The hashes held: padded positions [_first, _first + _count), at buffer index position - _first.
    private int _first;
    private int _count;

    /// <summary>Prepares <paramref name="text"/> (copied to <paramref name="padded"/>, at least <see cref="Padding"/> longer) with a hash buffer of <see cref="BufferInts"/>.</summary>
    public WindowNGrams(ReadOnlySpan<char> text, Span<char> padded, Span<int> hashes, int mask)
    {
        padded = padded[..(text.Length + Padding)];
        padded[0] = ' ';
        text.CopyTo(padded[1..]);
        padded[(text.Length + 1)..].Fill(' ');
        _padded = padded;
        _h3 = hashes[..Capacity];
        _h4 = hashes.Slice(Capacity, Capacity);
        _h5 = hashes.Slice(2 * Capacity, Capacity);
        _mask = mask;
    }

    /// <summary>Hands <paramref name="sink"/> the character n-grams of the window of <paramref name="length"/> (≥ 5, ≤ <see cref="DirectWindows.Chars"/>) characters at <paramref name="start"/>.</summary>
    public void Add<TSink>(int start, int length, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        // Window position i (0 the leading space, length + 1 the trailing one) is padded position start + i.
        Ensure(start + 1, start + length - 1);
        var window = _padded.Slice(start + 1, length);
        sink.Add(Leading(window, 3));
        sink.Add(Leading(window, 4));
        sink.Add(Leading(window, 5));
        var offset = start + 1 - _first;
        var h3 = _h3.Slice(offset, length - 2);
        var h4 = _h4.Slice(offset, length - 3);
        var h5 = _h5.Slice(offset, length - 4);
        sink.AddTriples(h3, h4, h5);

        // The last three positions: the n-grams that reach the trailing space are the window's own.
        sink.Add(h3[^2]);
        sink.Add(h4[^1]);
        sink.Add(Trailing(window, 5));
        sink.Add(h3[^1]);
        sink.Add(Trailing(window, 4));
        sink.Add(Trailing(window, 3));
    }

    // Makes the hashes of padded positions [from, to) present, keeping those already hashed.
    private void Ensure(int from, int to)
    {
        var held = _first + _count;
        if (from >= _first && from <= held)
        {
            var keep = held - from;
            _h3.Slice(from - _first, keep).CopyTo(_h3);
            _h4.Slice(from - _first, keep).CopyTo(_h4);
            _h5.Slice(from - _first, keep).CopyTo(_h5);
            _first = from;
            _count = keep;
        }
        else
        {
            _first = from;
            _count = 0;
        }

        if (_first + _count < to)
        {
            Hash(_first + _count, to);
            _count = to - _first;
        }
    }

    // Hashes padded positions [from, to), eight at a time (one 32-bit lane each) where the hardware allows; blocks may
    // write up to seven positions past the end, which the buffers and the padding have room for.
    private readonly void Hash(int from, int to)
    {
        var p = from;
        if (Vector256.IsHardwareAccelerated)
        {
            var mask = Vector256.Create((uint)_mask);
            ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(_padded));
            for (; p < to; p += 8)
            {
                var (h3, h4, h5) = FeatureHasher.HashEight(ref chars, (nuint)p, mask);
                h3.AsInt32().CopyTo(_h3[(p - _first)..]);
                h4.AsInt32().CopyTo(_h4[(p - _first)..]);
                h5.AsInt32().CopyTo(_h5[(p - _first)..]);
            }

            return;
        }

        for (; p < to; p++)
        {
            _h3[p - _first] = Masked(FeatureHasher.Fnv(FeatureHasher.OffsetBasis ^ 3u, _padded.Slice(p, 3)));
            _h4[p - _first] = Masked(FeatureHasher.Fnv(FeatureHasher.OffsetBasis ^ 4u, _padded.Slice(p, 4)));
            _h5[p - _first] = Masked(FeatureHasher.Fnv(FeatureHasher.OffsetBasis ^ 5u, _padded.Slice(p, 5)));
        }
    }

    // The n-gram at window position 0: the leading space and the window's first n - 1 characters.
    private readonly int Leading(ReadOnlySpan<char> window, int n) =>
        Masked(FeatureHasher.Fnv(FeatureHasher.Fnv(FeatureHasher.OffsetBasis ^ (uint)n, " "), window[..(n - 1)]));

    // The n-gram that ends with the trailing space: the window's last n - 1 characters and the space.
    private readonly int Trailing(ReadOnlySpan<char> window, int n) =>
        Masked(FeatureHasher.Fnv(FeatureHasher.Fnv(FeatureHasher.OffsetBasis ^ (uint)n, window[^(n - 1)..]), " "));

    private readonly int Masked(uint hash) => (int)(FeatureHasher.Mix(hash) & (uint)_mask);
}
