namespace Gatehouse.Inspection.Text;

/// <summary>Shannon entropy of short strings, in bits per character, without allocating.</summary>
public static class ShannonEntropy
{
    /// <summary>Bits per character of <paramref name="value"/>; characters outside ASCII share one bucket.</summary>
    public static double Of(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        Span<int> counts = stackalloc int[129];
        foreach (var c in value)
        {
            counts[c < 128 ? c : 128]++;
        }

        double entropy = 0;
        double length = value.Length;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = count / length;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }
}
