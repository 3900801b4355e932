namespace Gatehouse.Inspection.Secrets;

/// <summary>Recognizes values that sit where a secret goes but are placeholders, so they are not reported.</summary>
public static class SecretValues
{
    private static readonly string[] PlaceholderWords =
    [
        "password", "passwd", "secret", "changeme", "change_me", "example", "placeholder", "your", "redacted", "dummy",
        "sample", "xxxx", "****", "....", "<", ">", "${", "{{", "%(", "$(", "env:", "process.env", "os.environ", "getenv", "null", "none", "undefined", "todo", "fixme",
    ];

    /// <summary>True when <paramref name="value"/> looks like a placeholder, a variable reference or a repeated character rather than a real secret.</summary>
    public static bool IsPlaceholder(ReadOnlySpan<char> value)
    {
        if (value.Length < 3 || !value.ContainsAnyExcept(value[0]))
        {
            return true;
        }

        foreach (var word in PlaceholderWords)
        {
            if (value.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return value[0] is '$' or '%' or '@' || IsMemberAccess(value);
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

    private static readonly System.Buffers.SearchValues<char> IdentifierChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
}
