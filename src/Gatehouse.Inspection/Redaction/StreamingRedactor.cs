using System.Text;

namespace Gatehouse.Inspection.Redaction;

/// <summary>
/// Redacts a stream of text deltas while holding back at most <see cref="Window"/> characters (plus any finding that
/// reaches into them), so a secret or PII value split across chunks is still caught. The last
/// <see cref="Window"/> characters already emitted are kept as left context for the detectors. For any chunking the
/// output equals <see cref="Redactor.Redact"/> of the whole text, as long as no single finding is longer than the window.
/// </summary>
public sealed class StreamingRedactor
{
    private readonly Redactor _redactor;
    private readonly RedactionSession _session;
    private readonly StringBuilder _pending = new();
    private string _context = string.Empty;

    /// <summary>Creates a streaming redactor; <paramref name="window"/> is the hold-back in characters (64–4096).</summary>
    public StreamingRedactor(Redactor redactor, RedactionSession session, int window = 128)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 64);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, 4096);
        _redactor = redactor;
        _session = session;
        Window = window;
    }

    /// <summary>Characters held back before they are emitted.</summary>
    public int Window { get; }

    /// <summary>Characters received but not yet emitted.</summary>
    public int Pending => _pending.Length;

    /// <summary>Adds a delta and returns the redacted text that is now safe to emit (possibly empty).</summary>
    public string Push(ReadOnlySpan<char> delta)
    {
        _pending.Append(delta);
        if (_pending.Length <= Window)
        {
            return string.Empty;
        }

        var scan = string.Concat(_context, _pending.ToString());
        var offset = _context.Length;
        var findings = _redactor.Find(scan);
        var cut = _pending.Length - Window;
        var moved = true;
        while (moved)
        {
            moved = false;
            foreach (var d in findings)
            {
                var start = d.Start - offset;
                if (start >= 0 && start < cut && d.End - offset > cut)
                {
                    cut = start;
                    moved = true;
                }
            }
        }

        if (cut > 0 && char.IsHighSurrogate(scan[offset + cut - 1]))
        {
            cut--;
        }

        if (cut <= 0)
        {
            return string.Empty;
        }

        var output = new StringBuilder(cut + 16);
        Redactor.Append(output, scan, offset, offset + cut, findings, 0, _session);
        var keep = Math.Min(Window, offset + cut);
        _context = scan.Substring(offset + cut - keep, keep);
        _pending.Remove(0, cut);
        return output.ToString();
    }

    /// <summary>Emits everything still held back; call once at the end of the stream.</summary>
    public string Flush()
    {
        if (_pending.Length == 0)
        {
            return string.Empty;
        }

        var scan = string.Concat(_context, _pending.ToString());
        var findings = _redactor.Find(scan);
        var output = new StringBuilder(_pending.Length + 16);
        Redactor.Append(output, scan, _context.Length, scan.Length, findings, 0, _session);
        _pending.Clear();
        _context = string.Empty;
        return output.ToString();
    }
}
