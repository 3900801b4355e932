using System.Text;

namespace Gatehouse.Server.Inspection;

/// <summary>
/// The text of a streamed answer as the client received it, one string per text block, kept for the guardrails that
/// judge a whole text (json_schema, webhook, llm_judge) at the end of the stream. Bounded: past
/// <c>maxChars</c> the text is dropped and only its length is counted.
/// </summary>
internal sealed class StreamedAnswerText(int maxChars)
{
    private readonly List<string> _blocks = [];
    private readonly StringBuilder _current = new();

    /// <summary>Characters of answer text seen so far, kept or not.</summary>
    public long Length { get; private set; }

    /// <summary>Whether the answer outgrew the cap (its text is no longer kept).</summary>
    public bool Overflowed => Length > maxChars;

    /// <summary>Adds text of the current block.</summary>
    public void Append(string text)
    {
        Length += text.Length;
        if (Overflowed)
        {
            _blocks.Clear();
            _current.Clear();
            return;
        }

        _current.Append(text);
    }

    /// <summary>Ends the current text block.</summary>
    public void EndBlock()
    {
        if (_current.Length > 0 && !Overflowed)
        {
            _blocks.Add(_current.ToString());
        }

        _current.Clear();
    }

    /// <summary>The text blocks (the current one ended first); empty when the answer had no text.</summary>
    public List<string> Blocks()
    {
        EndBlock();
        return _blocks;
    }
}
