namespace Gatehouse.Inspection.Redaction;

/// <summary>
/// Placeholder numbering for one request: the first email becomes <c>[EMAIL_1]</c>, the next distinct one
/// <c>[EMAIL_2]</c>, and the same value always gets the same placeholder. Not thread-safe: one per request.
/// </summary>
public sealed class RedactionSession
{
    private readonly Dictionary<string, string> _byValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    /// <summary>How many distinct values were replaced so far.</summary>
    public int Count => _byValue.Count;

    /// <summary>The placeholder for <paramref name="value"/> of <paramref name="type"/>, creating it on first use.</summary>
    public string PlaceholderFor(string type, ReadOnlySpan<char> value)
    {
        ArgumentNullException.ThrowIfNull(type);
        var label = Label(type);
        var key = string.Concat(label, "\0", value);
        if (_byValue.TryGetValue(key, out var placeholder))
        {
            return placeholder;
        }

        var number = _counters.GetValueOrDefault(label) + 1;
        _counters[label] = number;
        placeholder = $"[{label}_{number}]";
        _byValue[key] = placeholder;
        return placeholder;
    }

    private static string Label(string type)
    {
        Span<char> buffer = type.Length <= 64 ? stackalloc char[type.Length] : new char[type.Length];
        for (var i = 0; i < type.Length; i++)
        {
            var c = type[i];
            buffer[i] = char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_';
        }

        return new string(buffer);
    }
}
