using Gatehouse.Inspection;

namespace Gatehouse.Server.Inspection;

/// <summary>
/// Wraps a guardrail's span detector inside a stream's redactor and notes when it fires. Redacting and blocking
/// guardrails pass their findings on (so the redactor never splits them at the emit boundary); flagging ones only observe.
/// </summary>
internal sealed class StreamHitDetector : ITextDetector
{
    private readonly ITextDetector _inner;
    private readonly bool _passOn;
    private readonly List<Detection> _scratch = [];

    public StreamHitDetector(ITextDetector inner, bool passOn)
    {
        _inner = inner;
        _passOn = passOn;
    }

    public string Name => _inner.Name;

    /// <summary>Whether the detector found something since <see cref="Reset"/>.</summary>
    public bool Hit { get; private set; }

    /// <summary>The type of the first finding.</summary>
    public string? FirstType { get; private set; }

    public void Detect(ReadOnlySpan<char> text, List<Detection> results)
    {
        _scratch.Clear();
        _inner.Detect(text, _scratch);
        if (_scratch.Count == 0)
        {
            return;
        }

        Hit = true;
        FirstType ??= _scratch[0].Type;
        if (_passOn)
        {
            results.AddRange(_scratch);
        }
    }

    /// <summary>Forgets the last hit.</summary>
    public void Reset() => Hit = false;
}
