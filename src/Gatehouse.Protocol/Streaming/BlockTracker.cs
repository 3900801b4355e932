using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Streaming;

/// <summary>
/// Assigns canonical block indexes for providers whose streams do not carry them (OpenAI, Gemini) and
/// emits start and stop events so that exactly one block is open at a time.
/// </summary>
internal sealed class BlockTracker
{
    private readonly Dictionary<int, int> _toolBlocks = [];
    private int _next;
    private int _open = -1;
    private BlockKind _openKind;

    private enum BlockKind
    {
        None,
        Text,
        Thinking,
        Tool,
    }

    public int Text(List<StreamEvent> output)
    {
        if (_openKind != BlockKind.Text)
        {
            Close(output);
            _open = _next++;
            _openKind = BlockKind.Text;
            output.Add(new TextStartEvent(_open));
        }

        return _open;
    }

    public int Thinking(List<StreamEvent> output)
    {
        if (_openKind != BlockKind.Thinking)
        {
            Close(output);
            _open = _next++;
            _openKind = BlockKind.Thinking;
            output.Add(new ThinkingStartEvent(_open));
        }

        return _open;
    }

    /// <summary>Starts a tool block for the provider's tool index; returns the canonical index.</summary>
    public int StartTool(int providerIndex, string id, string name, string? signature, List<StreamEvent> output)
    {
        Close(output);
        _open = _next++;
        _openKind = BlockKind.Tool;
        _toolBlocks[providerIndex] = _open;
        output.Add(new ToolCallStartEvent(_open, id, name, signature));
        return _open;
    }

    public bool TryGetTool(int providerIndex, out int index) => _toolBlocks.TryGetValue(providerIndex, out index);

    public void Close(List<StreamEvent> output)
    {
        if (_openKind != BlockKind.None)
        {
            output.Add(new BlockStopEvent(_open));
            _openKind = BlockKind.None;
        }
    }
}
