namespace Gatehouse.Core;

/// <summary>
/// Text as it can be stored in every supported database: PostgreSQL refuses a NUL character in text, so a NUL that
/// came with a request (a model name, a key name) is replaced by U+FFFD instead of failing a whole batch of writes.
/// </summary>
public static class StoredText
{
    /// <summary><paramref name="text"/> without NUL characters (the same instance when it has none).</summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;
    }

    /// <summary>Like <see cref="Of(string)"/>; null stays null.</summary>
    public static string? OfNullable(string? text) => text is null ? null : Of(text);

    /// <summary>A bound parameter value: strings lose their NUL characters, anything else is returned as it is.</summary>
    public static object OfValue(object value) => value is string text ? Of(text) : value;
}
