namespace Gatehouse.Inspection.Normalization;

/// <summary>Cached one-character strings for ASCII, so folding does not allocate.</summary>
internal static class AsciiStrings
{
    private static readonly string[] Cache = Build();

    /// <summary>The cached string holding <paramref name="c"/> (an ASCII character).</summary>
    public static string Get(char c) => c < 128 ? Cache[c] : c.ToString();

    private static string[] Build()
    {
        var cache = new string[128];
        for (var i = 0; i < cache.Length; i++)
        {
            cache[i] = ((char)i).ToString();
        }

        return cache;
    }
}
