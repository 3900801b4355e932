using System.Buffers;
using System.Collections.Frozen;

namespace Gatehouse.Server.Routing;

/// <summary>
/// The built-in embedder: a feature-hashed bag of character 3–5-grams (per word, with word boundaries), word unigrams
/// and bigrams of content words, L2-normalised. Offline, deterministic (FNV-1a over UTF-8 with fixed seeds, never the
/// runtime's randomised string hash), no model to load; docs/routing.md has its measured accuracy and latency.
/// Text is lower-cased, digits become 0 (so numbers match numbers), symbols such as <c>= + ( {</c> are tokens of their own.
/// </summary>
public sealed class HashedNgramEmbedder : IEmbedder
{
    /// <summary>The vector length (a power of two).</summary>
    public const int Dimensions = 4096;

    /// <summary>The threshold used when a router does not set one, tuned on the tuning half of eval/routing/labelled.jsonl.</summary>
    public const double DefaultThreshold = 0.10;

    /// <summary>Text beyond this many characters is not embedded (the start of a message says what it is about).</summary>
    public const int MaxChars = 16_384;

    private const float CharWeight = 1f;
    // Weights tuned on the tuning split of eval/routing/labelled.jsonl (docs/routing.md): words count eight times a
    // character n-gram, bigrams twice; character 3–5-grams did as well as other ranges.
    private const float WordWeight = 8f;
    private const float BigramWeight = 2f;
    private const uint CharSeed = 0x9E3779B1u;
    private const uint WordSeed = 0x85EBCA77u;
    private const uint BigramSeed = 0xC2B2AE3Du;

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWords = FrozenSet.ToFrozenSet(
    [
        "a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for", "with", "from",
        "as", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "it", "its",
        "this", "that", "these", "those", "there", "here", "i", "me", "my", "we", "us", "our", "you", "your", "he", "she",
        "him", "her", "they", "them", "their", "can", "could", "would", "should", "will", "shall", "may", "might", "must",
        "please", "just", "some", "any", "all", "about", "into", "out", "up", "down", "over", "also", "very", "really",
        "what", "which", "who", "whom", "how", "when", "where", "why", "not", "no", "yes", "t", "s", "m", "ll", "re", "ve", "d",
    ], StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <inheritdoc />
    public string Name => "hashed";

    /// <inheritdoc />
    public ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = new float[Dimensions];
            Embed(texts[i], vectors[i]);
        }

        return ValueTask.FromResult(vectors);
    }

    /// <summary>Embeds <paramref name="text"/> into <paramref name="destination"/> (<see cref="Dimensions"/> long) without allocating.</summary>
    public static void Embed(ReadOnlySpan<char> text, Span<float> destination)
    {
        destination = destination[..Dimensions];
        destination.Clear();
        if (text.Length > MaxChars)
        {
            text = text[..MaxChars];
        }

        var rented = ArrayPool<char>.Shared.Rent((text.Length * 3) + 2);
        try
        {
            var normalized = rented.AsSpan(0, Normalize(text, rented));
            ReadOnlySpan<char> previous = default;
            var start = 1;
            while (start < normalized.Length)
            {
                var length = normalized[start..].IndexOf(' ');
                if (length <= 0)
                {
                    break;
                }

                // Character n-grams of " word ", so the start and end of a word are features of their own.
                var padded = normalized.Slice(start - 1, length + 2);
                for (var n = 3; n <= 5; n++)
                {
                    for (var i = 0; i + n <= padded.Length; i++)
                    {
                        Add(destination, Fnv(CharSeed, padded.Slice(i, n)), CharWeight);
                    }
                }

                var word = normalized.Slice(start, length);
                if (!StopWords.Contains(word))
                {
                    Add(destination, Fnv(WordSeed, word), WordWeight);
                    if (!previous.IsEmpty)
                    {
                        Add(destination, Fnv(Fnv(Fnv(BigramSeed, previous), " "), word), BigramWeight);
                    }

                    previous = word;
                }

                start += length + 1;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        VectorMath.Normalize(destination);
    }

    /// <summary>Writes " token token … " into <paramref name="buffer"/>: lower case, digits as 0, symbols as tokens, punctuation as spaces.</summary>
    private static int Normalize(ReadOnlySpan<char> text, Span<char> buffer)
    {
        var j = 0;
        buffer[j++] = ' ';
        foreach (var c in text)
        {
            if (char.IsLetter(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                buffer[j++] = char.ToLowerInvariant(c);
            }
            else if (char.IsDigit(c))
            {
                buffer[j++] = '0';
            }
            else if (char.IsWhiteSpace(c) || c is '.' or ',' or '?' or '!' or '\'' or '"' or '\u2019' or '\u2018' or '\u201C' or '\u201D' or '\u00BF' or '\u00A1')
            {
                if (buffer[j - 1] != ' ')
                {
                    buffer[j++] = ' ';
                }
            }
            else
            {
                if (buffer[j - 1] != ' ')
                {
                    buffer[j++] = ' ';
                }

                buffer[j++] = c;
                buffer[j++] = ' ';
            }
        }

        if (buffer[j - 1] != ' ')
        {
            buffer[j++] = ' ';
        }

        return j;
    }

    private static void Add(Span<float> vector, uint hash, float weight)
    {
        hash = Mix(hash);
        vector[(int)(hash & (Dimensions - 1))] += (hash & 0x8000_0000u) == 0 ? weight : -weight;
    }

    /// <summary>FNV-1a over the UTF-8 encoding of <paramref name="text"/> (lone surrogates as three bytes each), continuing from <paramref name="hash"/>.</summary>
    private static uint Fnv(uint hash, ReadOnlySpan<char> text)
    {
        const uint Prime = 16777619u;
        foreach (var c in text)
        {
            if (c < 0x80)
            {
                hash = (hash ^ c) * Prime;
            }
            else if (c < 0x800)
            {
                hash = (hash ^ (uint)(0xC0 | (c >> 6))) * Prime;
                hash = (hash ^ (uint)(0x80 | (c & 0x3F))) * Prime;
            }
            else
            {
                hash = (hash ^ (uint)(0xE0 | (c >> 12))) * Prime;
                hash = (hash ^ (uint)(0x80 | ((c >> 6) & 0x3F))) * Prime;
                hash = (hash ^ (uint)(0x80 | (c & 0x3F))) * Prime;
            }
        }

        return hash;
    }

    /// <summary>Murmur3's finaliser: spreads FNV's weak low bits over the whole word.</summary>
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return h;
    }
}
