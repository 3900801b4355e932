using System.Buffers;

namespace Gatehouse.Protocol.Bedrock.EventStream;

/// <summary>Reads AWS event-stream messages from a stream with a pooled read buffer.</summary>
public sealed class EventStreamReader : IDisposable
{
    private readonly Stream _stream;
    private readonly EventStreamParser _parser;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private bool _ended;

    /// <summary>Creates a reader over an upstream body stream.</summary>
    public EventStreamReader(Stream stream, int maxMessageLength = EventStreamParser.DefaultMaxMessageLength)
    {
        _stream = stream;
        _parser = new EventStreamParser(maxMessageLength);
    }

    /// <summary>
    /// Reads the next message, or returns null at a clean end of stream. The payload is valid until the next call.
    /// Throws <see cref="InvalidDataException"/> for malformed framing, including a stream cut inside a message.
    /// </summary>
    public async ValueTask<EventStreamMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_parser.TryRead(out var message))
            {
                return message;
            }

            if (_ended)
            {
                _parser.Complete();
                return null;
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

    /// <summary>Takes the next message only if it is already received in full, without reading the stream.</summary>
    public bool TryReadBuffered(out EventStreamMessage message) => _parser.TryRead(out message);

    /// <inheritdoc />
    public void Dispose()
    {
        _parser.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
