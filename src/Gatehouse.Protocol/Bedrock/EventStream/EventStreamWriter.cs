using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Gatehouse.Protocol.Bedrock.EventStream;

/// <summary>Encodes AWS event-stream messages (prelude, typed headers, payload, both CRC32s).</summary>
public static class EventStreamWriter
{
    /// <summary>The <c>:content-type</c> of JSON payloads.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>Writes one message; returns its length in bytes.</summary>
    /// <exception cref="ArgumentException">A header name or value is too long, or the message exceeds the 16 MiB cap.</exception>
    public static int Write(IBufferWriter<byte> output, ReadOnlySpan<EventStreamHeader> headers, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var headersLength = 0;
        foreach (var header in headers)
        {
            headersLength += HeaderLength(header);
        }

        var total = (long)EventStreamParser.MinimumMessageLength + headersLength + payload.Length;
        if (total > EventStreamParser.DefaultMaxMessageLength)
        {
            throw new ArgumentException($"An event-stream message of {total} bytes exceeds the {EventStreamParser.DefaultMaxMessageLength}-byte cap.", nameof(payload));
        }

        var length = (int)total;
        var span = output.GetSpan(length)[..length];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32.Compute(span[..8]));
        var position = EventStreamParser.PreludeLength;
        foreach (var header in headers)
        {
            position += WriteHeader(span[position..], header);
        }

        payload.CopyTo(span[position..]);
        position += payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[position..], Crc32.Compute(span[..position]));
        output.Advance(length);
        return length;
    }

    /// <summary>Writes an <c>event</c> message with a JSON payload, headers in the order AWS services send them.</summary>
    public static int WriteEvent(IBufferWriter<byte> output, string eventType, ReadOnlySpan<byte> json) => Write(output,
    [
        EventStreamHeader.String(EventStreamMessage.EventTypeHeader, eventType),
        EventStreamHeader.String(EventStreamMessage.ContentTypeHeader, JsonContentType),
        EventStreamHeader.String(EventStreamMessage.MessageTypeHeader, "event"),
    ],
    json);

    /// <summary>Writes an <c>exception</c> message (for example <c>throttlingException</c>) with a JSON payload.</summary>
    public static int WriteException(IBufferWriter<byte> output, string exceptionType, ReadOnlySpan<byte> json) => Write(output,
    [
        EventStreamHeader.String(EventStreamMessage.ExceptionTypeHeader, exceptionType),
        EventStreamHeader.String(EventStreamMessage.ContentTypeHeader, JsonContentType),
        EventStreamHeader.String(EventStreamMessage.MessageTypeHeader, "exception"),
    ],
    json);

    private static int HeaderLength(EventStreamHeader header)
    {
        var nameLength = Encoding.UTF8.GetByteCount(header.Name);
        if (nameLength > byte.MaxValue)
        {
            throw new ArgumentException($"Event-stream header name '{header.Name}' is longer than 255 bytes.", nameof(header));
        }

        return 1 + nameLength + 1 + header.Type switch
        {
            EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => 0,
            EventStreamHeaderType.Byte => 1,
            EventStreamHeaderType.Short => 2,
            EventStreamHeaderType.Integer => 4,
            EventStreamHeaderType.Long or EventStreamHeaderType.Timestamp => 8,
            EventStreamHeaderType.Uuid => 16,
            EventStreamHeaderType.ByteArray => 2 + SizedLength(header, ((byte[])header.RawReference!).Length),
            EventStreamHeaderType.String => 2 + SizedLength(header, Encoding.UTF8.GetByteCount((string)header.RawReference!)),
            _ => throw new ArgumentException($"Event-stream header '{header.Name}' has no value.", nameof(header)),
        };
    }

    private static int SizedLength(EventStreamHeader header, int length) => length <= ushort.MaxValue
        ? length
        : throw new ArgumentException($"Event-stream header '{header.Name}' has a value longer than 65535 bytes.", nameof(header));

    private static int WriteHeader(Span<byte> span, EventStreamHeader header)
    {
        var nameLength = Encoding.UTF8.GetBytes(header.Name, span[1..]);
        span[0] = (byte)nameLength;
        var position = 1 + nameLength;
        span[position++] = (byte)header.Type;
        var value = span[position..];
        switch (header.Type)
        {
            case EventStreamHeaderType.Byte:
                value[0] = (byte)(sbyte)header.RawNumber;
                return position + 1;
            case EventStreamHeaderType.Short:
                BinaryPrimitives.WriteInt16BigEndian(value, (short)header.RawNumber);
                return position + 2;
            case EventStreamHeaderType.Integer:
                BinaryPrimitives.WriteInt32BigEndian(value, (int)header.RawNumber);
                return position + 4;
            case EventStreamHeaderType.Long or EventStreamHeaderType.Timestamp:
                BinaryPrimitives.WriteInt64BigEndian(value, header.RawNumber);
                return position + 8;
            case EventStreamHeaderType.Uuid:
                header.AsUuid().TryWriteBytes(value, bigEndian: true, out _);
                return position + 16;
            case EventStreamHeaderType.ByteArray:
                var bytes = (byte[])header.RawReference!;
                BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)bytes.Length);
                bytes.CopyTo(value[2..]);
                return position + 2 + bytes.Length;
            case EventStreamHeaderType.String:
                var written = Encoding.UTF8.GetBytes((string)header.RawReference!, value[2..]);
                BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)written);
                return position + 2 + written;
            default:
                return position;
        }
    }
}
