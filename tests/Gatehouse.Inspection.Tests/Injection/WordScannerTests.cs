using System.Text;
using Gatehouse.Inspection.Injection;
using Xunit;

namespace Gatehouse.Inspection.Tests.Injection;

/// <summary>
/// The word scanner (bit mask, bounds from its edges, branch-free hashes of short words) must find the words and
/// hashes of <see cref="FeatureHasher.NextWord"/> and FNV-1a character by character, and the windows must hand the
/// sink what <see cref="FeatureHasher.AddWords"/> gives each window alone, a word whose hash is 0 included.
/// </summary>
public class WordScannerTests
{
    private const uint Seed = FeatureHasher.OffsetBasis ^ 0x9E37u;

    // Letters and digits of both cases, separators, leet symbols, and beyond ASCII: letters (é, ж, µ, ÿ), an
    // Arabic-Indic digit, a superscript two (a number, not a digit), a dash, a no-break space, a lone surrogate.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,-_\n\t!$+\x7f\x80éжµÿ٣²—\u00A0\uD83D";

    [Fact]
    public void Finds_and_hashes_the_words_that_next_word_and_fnv_find()
    {
        var random = new Random(20261127);
        for (var n = 0; n < 3_000; n++)
        {
            // Short texts around the 16-character blocks and 64-bit masks, some long enough to rent the mask.
            var length = n % 100 == 0 ? random.Next(16_000, 20_000) : random.Next(0, 300);
            Check(RandomText(random, length));
        }

        Check(string.Empty);
        Check(new string('a', 64));
        Check(new string('a', 64) + " ");
        Check(new string('a', 8));
        Check("abcdefgh abcdefghi a");
    }

    [Fact]
    public void Every_char_is_a_word_char_exactly_when_it_is_a_letter_or_a_digit()
    {
        var text = new StringBuilder();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            text.Append((char)c).Append(' ');
        }

        Check(text.ToString());
    }

    [Fact]
    public void Windows_get_each_window_alone_s_word_features_when_a_word_hashes_to_zero()
    {
        var zero = ZeroHashWord();
        Assert.Equal(0u, FeatureHasher.Fnv(Seed, zero));
        var random = new Random(20261128);
        const int mask = (1 << 16) - 1;
        for (var n = 0; n < 200; n++)
        {
            var text = new StringBuilder();
            while (text.Length < DirectWindows.Chars + random.Next(1, 3 * DirectWindows.Chars))
            {
                text.Append(random.Next(8) == 0 ? zero : RandomText(random, random.Next(1, 12)).Replace(' ', 'x')).Append(' ');
            }

            var folded = text.ToString();
            var words = new WindowWords(folded, new int[WindowWords.BufferInts(folded.Length)], mask);
            for (var i = 0; i < DirectWindows.Count(folded.Length); i++)
            {
                var (start, length) = DirectWindows.Get(folded.Length, i);
                var expected = new InjectionFastPathTests.RecordingSink([]);
                FeatureHasher.AddWords(folded.AsSpan(start, length), mask, ref expected);
                var actual = new InjectionFastPathTests.RecordingSink([]);
                words.Add(start, length, ref actual);
                Assert.Equal(expected.Indices, actual.Indices);
            }
        }
    }

    private static void Check(string text)
    {
        var expected = new List<(int Start, int End, int Hash)>();
        var i = 0;
        while (FeatureHasher.NextWord(text, ref i, out var start))
        {
            expected.Add((start, i, (int)FeatureHasher.Fnv(Seed, text.AsSpan(start, i - start))));
        }

        var capacity = (text.Length / 2) + 1;
        int[] starts = new int[capacity], ends = new int[capacity], hashes = new int[capacity];
        var count = WordScanner.Scan(text, starts, ends, hashes, Seed);
        var actual = Enumerable.Range(0, count).Select(k => (starts[k], ends[k], hashes[k])).ToList();
        Assert.Equal(expected, actual);
    }

    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            // Words of every length up to 20 (the short-word hash takes up to 8), separated by one or more others.
            var word = random.Next(6) == 0 ? random.Next(9, 21) : random.Next(1, 9);
            for (var k = 0; k < word && text.Length < length; k++)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            text.Append(' ');
        }

        return text.ToString(0, length);
    }

    // A word whose FNV-1a is 0: a prefix whose hash is a letter's code, then that letter (x ^ x = 0, 0 × prime = 0).
    private static string ZeroHashWord()
    {
        for (var n = 0; ; n++)
        {
            var prefix = $"q{n}";
            var h = FeatureHasher.Fnv(Seed, prefix);
            if (h <= char.MaxValue && char.IsLetter((char)h))
            {
                return prefix + (char)h;
            }
        }
    }
}
