using System.Buffers;
using System.Text.RegularExpressions;
using Gatehouse.Inspection.Text;

namespace Gatehouse.Inspection.Pii;

/// <summary>Anchor character sets of the PII detector.</summary>
internal static class Windows
{
    /// <summary>Characters of a domain name after the '@'.</summary>
    public static readonly SearchValues<char> DomainChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-");

    /// <summary>Words that open a date-of-birth context, any case.</summary>
    public static readonly SearchValues<string> BirthWords = SearchValues.Create(["birth", "born", "dob", "d.o.b"], StringComparison.OrdinalIgnoreCase);

    /// <summary>The matches of <paramref name="pattern"/> that start at or after <paramref name="start"/> and end by <paramref name="end"/>.</summary>
    public static WindowMatches Matches(Regex pattern, ReadOnlySpan<char> text, int start, int end) => new(pattern, text, start, end);
}
