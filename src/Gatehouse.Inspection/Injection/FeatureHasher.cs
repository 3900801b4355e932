namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Turns folded text into hashed features: character 3-, 4- and 5-grams (spaces included, so word edges count)
/// and word unigrams and bigrams, hashed with FNV-1a (stable across runs and machines) into 2^bits buckets.
/// </summary>
public static class FeatureHasher
{
    /// <summary>Longest text (in characters) that is featurized; the rest is ignored.</summary>
    public const int MaxChars = 16_384;

    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    /// <summary>The features of <paramref name="folded"/> (output of <see cref="Normalization.ScoringFolder"/>).</summary>
    public static HashedFeatures Extract(string folded, int bits)
    {
        ArgumentNullException.ThrowIfNull(folded);
        var mask = (1 << bits) - 1;
        var text = folded.AsSpan(0, Math.Min(folded.Length, MaxChars));
        var hashes = new List<int>(text.Length * 4);
        for (var n = 3; n <= 5; n++)
        {
            for (var i = -1; i + n <= text.Length + 1; i++)
            {
                var h = OffsetBasis ^ (uint)n;
                for (var j = i; j < i + n; j++)
                {
                    var c = j < 0 || j >= text.Length ? ' ' : text[j];
                    h = (h ^ c) * Prime;
                }

                hashes.Add((int)(Mix(h) & mask));
            }
        }

        AddWords(text, mask, hashes);
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

    private static void AddWords(ReadOnlySpan<char> text, int mask, List<int> hashes)
    {
        uint previous = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                break;
            }

            var h = OffsetBasis ^ 0x9E37u;
            foreach (var c in text[start..i])
            {
                h = (h ^ c) * Prime;
            }

            hashes.Add((int)(Mix(h) & mask));
            if (previous != 0)
            {
                hashes.Add((int)(Mix((previous * 31) ^ h ^ 0x5bd1e995u) & mask));
            }

            previous = h;
        }
    }

    // Finalizer from MurmurHash3: spreads FNV's low bits before masking.
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
