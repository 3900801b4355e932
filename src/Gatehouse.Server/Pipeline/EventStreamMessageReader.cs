using Gatehouse.Protocol.Bedrock;
using Gatehouse.Protocol.Bedrock.EventStream;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// Reads AWS event-stream frames (Bedrock ConverseStream) from an upstream body. The event type follows the
/// ConverseStream decoder's convention: the <c>:event-type</c>, or <c>":exception:" + :exception-type</c> for
/// exception frames. Malformed framing throws <see cref="InvalidDataException"/>.
/// </summary>
public sealed class EventStreamMessageReader : IUpstreamMessageReader
{
    private readonly EventStreamReader _reader;
    private readonly PooledBufferWriter _raw = new(1024);
    private EventStreamMessage _message;

    /// <summary>Creates the reader.</summary>
    public EventStreamMessageReader(Stream body) => _reader = new EventStreamReader(body);

    /// <inheritdoc />
    public string? EventType { get; private set; }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Payload => _message.Payload;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Raw
    {
        get
        {
            // Re-encode the frame: byte for byte what the upstream sent, as the format has one encoding.
            _raw.Clear();
            EventStreamWriter.Write(_raw, [.. _message.Headers], _message.Payload.Span);
            return _raw.WrittenMemory;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (await _reader.ReadAsync(cancellationToken) is not { } message)
        {
            return false;
        }

        Take(message);
        return true;
    }

    /// <inheritdoc />
    public bool TryReadBuffered()
    {
        if (!_reader.TryReadBuffered(out var message))
        {
            return false;
        }

        Take(message);
        return true;
    }

    private void Take(EventStreamMessage message)
    {
        _message = message;
        EventType = ConverseStreamDecoder.EventTypeOf(message);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _reader.Dispose();
        _raw.Dispose();
    }
}
