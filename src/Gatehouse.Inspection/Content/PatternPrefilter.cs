using System.Buffers;

namespace Gatehouse.Inspection.Content;

/// <summary>
/// A literal that every match of a content pattern starts with, so the pattern need not run on text without it.
/// The regexes' own prefix search is <c>IndexOf(…, OrdinalIgnoreCase)</c>, which in invariant globalization mode
/// compares char by char; this one is a vectorized <see cref="SearchValues{T}"/> search. Exact: under the patterns'
/// options (IgnoreCase, CultureInvariant) an ASCII character matches only its ASCII other case and, for K and k,
/// the Kelvin sign U+212A (<see cref="AsciiLookalikes"/>, pinned by a test over every char), so text without the
/// Kelvin sign that lacks the literal ignoring ASCII case cannot match; text with it always runs the pattern.
/// </summary>
internal sealed class PatternPrefilter
{
    /// <summary>The non-ASCII characters that IgnoreCase | CultureInvariant regexes match to an ASCII character.</summary>
    public const string AsciiLookalikes = "\u212A";

    /// <summary>Shortest literal worth a search.</summary>
    public const int MinLength = 3;

    // Characters that stand for themselves in a pattern (outside a class), besides ASCII letters and digits.
    private const string PlainPunctuation = " -',:;\"/@!%&=<>~_`";

    // Characters a backslash makes literal.
    private const string EscapedPunctuation = ".*+?()[]{}|\\^$/-#";

    private readonly SearchValues<string> _literal;

    private PatternPrefilter(string literal)
    {
        Literal = literal;
        _literal = SearchValues.Create([literal], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The literal every match starts with (compared ignoring ASCII case).</summary>
    public string Literal { get; }

    /// <summary>
    /// The prefilter of <paramref name="pattern"/>, or null when no literal of at least <see cref="MinLength"/>
    /// characters is certain to start every match. Conservative: only a run of plain characters right after optional
    /// <c>\b</c>, <c>\B</c>, <c>^</c> or <c>\A</c>, in a pattern with no top-level alternation and no <c>#</c>.
    /// </summary>
    public static PatternPrefilter? For(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Contains('#', StringComparison.Ordinal) || HasTopLevelAlternation(pattern))
        {
            return null;
        }

        var i = 0;
        while (i < pattern.Length && (pattern[i] == '^' || (pattern[i] == '\\' && i + 1 < pattern.Length && pattern[i + 1] is 'b' or 'B' or 'A')))
        {
            i += pattern[i] == '^' ? 1 : 2;
        }

        var literal = new System.Text.StringBuilder();
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (char.IsAsciiLetterOrDigit(c) || PlainPunctuation.Contains(c, StringComparison.Ordinal))
            {
                literal.Append(c);
                i++;
            }
            else if (c == '\\' && i + 1 < pattern.Length && EscapedPunctuation.Contains(pattern[i + 1], StringComparison.Ordinal))
            {
                literal.Append(pattern[i + 1]);
                i += 2;
            }
            else
            {
                // A quantifier applies to the last character (or escape) only: it is not certain to be there.
                if (c is '*' or '+' or '?' or '{' && literal.Length > 0)
                {
                    literal.Length--;
                }

                break;
            }
        }

        return literal.Length >= MinLength ? new PatternPrefilter(literal.ToString()) : null;
    }

    /// <summary>False only when the pattern cannot match <paramref name="text"/>.</summary>
    public bool MayMatch(ReadOnlySpan<char> text) =>
        text.ContainsAny(_literal) || text.ContainsAny(AsciiLookalikes);

    // A '|' outside every group and class (escapes skipped).
    private static bool HasTopLevelAlternation(string pattern)
    {
        var depth = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;

                // A ']' first in the class (or after '^') is a member, not the end.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    i++;
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    i++;
                }
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == '|' && depth == 0)
            {
                return true;
            }
        }

        return false;
    }
}
