namespace Gatehouse.Providers;

/// <summary>
/// Which strings may go into an upstream request header as they are. Keys and configured headers are added without
/// parsing, so a line break in one would end the header early and let the rest be read as headers of its own.
/// </summary>
public static class HeaderText
{
    /// <summary>Whether <paramref name="value"/> has no control character (CR, LF, NUL, …), so it is safe as a header value.</summary>
    public static bool IsSafe(string value) =>
        !value.AsSpan().ContainsAnyInRange('\u0000', '\u001f') && !value.Contains('\u007f', StringComparison.Ordinal);
}
