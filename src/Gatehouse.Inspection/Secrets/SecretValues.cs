namespace Gatehouse.Inspection.Secrets;

/// <summary>Recognizes values that sit where a secret goes but are placeholders, so they are not reported.</summary>
public static class SecretValues
{
    /// <summary>Words whose presence, in any case, makes a value a placeholder.</summary>
    internal static readonly string[] PlaceholderWords =
    [
        "password", "passwd", "secret", "changeme", "change_me", "example", "placeholder", "your", "redacted", "dummy",
        "sample", "xxxx", "****", "....", "<", ">", "${", "{{", "%(", "$(", "env:", "process.env", "os.environ", "getenv", "null", "none", "undefined", "todo", "fixme",
    ];

    private static readonly System.Buffers.SearchValues<string> PlaceholderSearch =
        System.Buffers.SearchValues.Create(PlaceholderWords, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when <paramref name="value"/> looks like a placeholder, a variable reference or a repeated character rather
    /// than a real secret; with <paramref name="code"/>, also a member access chain (<c>config.Secret</c>), which
    /// only makes sense where any value can follow an assignment, not for a rule with a token format.
    /// </summary>
    public static bool IsPlaceholder(ReadOnlySpan<char> value, bool code = true)
    {
        if (value.Length < 3 || !value.ContainsAnyExcept(value[0]))
        {
            return true;
        }

        // One vectorized search for all words: the same answer as a case-insensitive Contains per word, which in
        // invariant globalization mode compares char by char and was a fifth of the detector's time.
        if (value.ContainsAny(PlaceholderSearch))
        {
            return true;
        }

        return value[0] is '$' or '%' or '@' || (code && IsMemberAccess(value));
    }

    /// <summary>
    /// True for a token-shaped value that is filler rather than a credential: six or more <c>x</c>, <c>X</c> or <c>*</c>
    /// in a row (<c>ghp_xxxxxxxx…</c>, <c>sk_live_XXXX…</c>), or the <c>EXAMPLE</c> marker of documented example keys
    /// (<c>AKIAIOSFODNN7EXAMPLE</c>). A random token has neither: six equal characters in a row have a chance of about
    /// 10^-9 per position in base 62.
    /// </summary>
    public static bool IsFiller(ReadOnlySpan<char> value)
    {
        if (value.Contains("EXAMPLE", StringComparison.Ordinal))
        {
            return true;
        }

        var run = 0;
        for (var i = 0; i < value.Length; i++)
        {
            run = i > 0 && value[i] == value[i - 1] ? run + 1 : 1;
            if (run >= 6 && value[i] is 'x' or 'X' or '*')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for <c>Encoding.UTF8.GetBytes</c>-like member access chains: code, not a value.</summary>
    public static bool IsMemberAccess(ReadOnlySpan<char> value)
    {
        var segments = 0;
        foreach (var range in value.Split('.'))
        {
            var segment = value[range];
            if (segment.IsEmpty || char.IsAsciiDigit(segment[0]) || segment.ContainsAnyExcept(IdentifierChars))
            {
                return false;
            }

            segments++;
        }

        return segments >= 2;
    }

    /// <summary>
    /// True when a PEM private-key header is followed by key material: a run of at least 32 base64 characters within
    /// the next 400 (a header alone in a parser, or a documented <c>XXXX</c> body, is not a key).
    /// </summary>
    public static bool HasKeyMaterial(ReadOnlySpan<char> text, int start, int length)
    {
        _ = length;
        var window = text[start..Math.Min(text.Length, start + 400)];
        var run = 0;
        foreach (var c in window)
        {
            run = Base64Chars.Contains(c) ? run + 1 : 0;
            if (run >= 32)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly System.Buffers.SearchValues<char> Base64Chars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    private static readonly System.Buffers.SearchValues<char> IdentifierChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
}
