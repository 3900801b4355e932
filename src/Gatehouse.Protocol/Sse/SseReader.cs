using System.Buffers;

namespace Gatehouse.Protocol.Sse;

/// <summary>Reads server-sent events from a stream with a pooled read buffer.</summary>
public sealed class SseReader : IDisposable
{
    private readonly Stream _stream;
    private readonly SseParser _parser;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private bool _ended;

    /// <summary>Creates a reader over an upstream body stream.</summary>
    public SseReader(Stream stream, int maxEventBytes = 8 * 1024 * 1024)
    {
        _stream = stream;
        _parser = new SseParser(maxEventBytes);
    }

    /// <summary>Reads the next event, or returns null at end of stream. The data is valid until the next call.</summary>
    public async ValueTask<SseEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_parser.TryRead(out var sseEvent))
            {
                return sseEvent;
            }

            if (_ended)
            {
                return _parser.TryReadFinal(out sseEvent) ? sseEvent : null;
            }

            var read = await _stream.ReadAsync(_buffer, cancellationToken);
            if (read == 0)
            {
                _ended = true;
                continue;
            }

            _parser.Append(_buffer.AsSpan(0, read));
        }
    }

    /// <summary>Takes the next event only if it is already received in full, without reading the stream.</summary>
    public bool TryReadBuffered(out SseEvent sseEvent) => _parser.TryRead(out sseEvent);

    /// <inheritdoc />
    public void Dispose()
    {
        _parser.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
