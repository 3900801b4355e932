using System.Text.RegularExpressions;

namespace Gatehouse.Inspection.Text;

/// <summary>
/// Runs a candidate pattern on the window around an anchor instead of the whole text. The pattern still sees the real
/// text before the window (lookbehinds) and two characters after it (lookaheads); matches must end inside the window.
/// </summary>
internal ref struct WindowMatches
{
    private Regex.ValueMatchEnumerator _inner;
    private readonly int _end;

    /// <summary>Starts the search at <paramref name="start"/>; matches past <paramref name="end"/> stop it.</summary>
    public WindowMatches(Regex pattern, ReadOnlySpan<char> text, int start, int end)
    {
        _inner = pattern.EnumerateMatches(text[..Math.Min(text.Length, end + 2)], start);
        _end = end;
    }

    /// <summary>The current match.</summary>
    public readonly ValueMatch Current => _inner.Current;

    /// <summary>Moves to the next match inside the window.</summary>
    public bool MoveNext() => _inner.MoveNext() && _inner.Current.Index + _inner.Current.Length <= _end;

    /// <summary>Enables <c>foreach</c>.</summary>
    public readonly WindowMatches GetEnumerator() => this;
}
