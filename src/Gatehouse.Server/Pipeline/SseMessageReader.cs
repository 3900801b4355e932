using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.Sse;

namespace Gatehouse.Server.Pipeline;

/// <summary>Reads server-sent events from an upstream body.</summary>
public sealed class SseMessageReader : IUpstreamMessageReader
{
    private readonly SseReader _reader;
    private readonly PooledBufferWriter _raw = new(1024);

    /// <summary>Creates the reader.</summary>
    public SseMessageReader(Stream body) => _reader = new SseReader(body);

    /// <inheritdoc />
    public string? EventType { get; private set; }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Raw
    {
        get
        {
            // Re-frame canonically (event line, data lines): equal in meaning to what the upstream sent.
            _raw.Clear();
            if (EventType is not null)
            {
                _raw.Write("event: "u8);
                var name = _raw.GetSpan(System.Text.Encoding.UTF8.GetMaxByteCount(EventType.Length));
                _raw.Advance(System.Text.Encoding.UTF8.GetBytes(EventType, name));
                _raw.Write("\n"u8);
            }

            // The parser joined the event's data lines with LF: each becomes a data line again, or the client would
            // read only the first.
            var data = Payload.Span;
            while (true)
            {
                var end = data.IndexOf((byte)'\n');
                _raw.Write("data: "u8);
                _raw.Write(end < 0 ? data : data[..end]);
                _raw.Write("\n"u8);
                if (end < 0)
                {
                    break;
                }

                data = data[(end + 1)..];
            }

            _raw.Write("\n"u8);
            return _raw.WrittenMemory;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var next = await _reader.ReadAsync(cancellationToken);
        if (next is not { } sseEvent)
        {
            return false;
        }

        Take(sseEvent);
        return true;
    }

    /// <inheritdoc />
    public bool TryReadBuffered()
    {
        if (!_reader.TryReadBuffered(out var sseEvent))
        {
            return false;
        }

        Take(sseEvent);
        return true;
    }

    private void Take(SseEvent sseEvent)
    {
        EventType = sseEvent.EventType;
        Payload = sseEvent.Data;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _reader.Dispose();
        _raw.Dispose();
    }
}
