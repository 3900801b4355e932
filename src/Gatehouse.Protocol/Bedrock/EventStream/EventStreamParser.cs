using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Gatehouse.Protocol.Bedrock.EventStream;

/// <summary>
/// Incremental AWS event-stream decoder: feed it bytes in any chunking, take complete messages out.
/// A message is a 12-byte prelude (total length, headers length, prelude CRC32), typed headers, a payload and a
/// CRC32 of everything before it. Both checksums are verified, the total length is capped, and anything malformed
/// throws <see cref="InvalidDataException"/>; after that the parser stays faulted.
/// </summary>
public sealed class EventStreamParser : IDisposable
{
    /// <summary>The default cap on one message's total length: 16 MiB.</summary>
    public const int DefaultMaxMessageLength = 16 * 1024 * 1024;

    /// <summary>Total length, headers length and prelude CRC: three big-endian 32-bit integers.</summary>
    internal const int PreludeLength = 12;

    /// <summary>A message with no headers and no payload: the prelude and the message CRC.</summary>
    internal const int MinimumMessageLength = PreludeLength + 4;

    private const int MaxInternedLength = 64;
    private const int MaxInternedCount = 128;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int _maxMessageLength;
    private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);
    private readonly List<EventStreamHeader> _headers = [];
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _faulted;

    /// <summary>Creates a parser that rejects messages longer than <paramref name="maxMessageLength"/> bytes.</summary>
    public EventStreamParser(int maxMessageLength = DefaultMaxMessageLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageLength, MinimumMessageLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessageLength, 1 << 30);
        _maxMessageLength = maxMessageLength;
        _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    }

    /// <summary>Whether bytes of an incomplete message are buffered.</summary>
    public bool HasPartialMessage => _end > _start;

    /// <summary>Appends received bytes. Invalidates the payload of the message read last.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        ThrowIfFaulted();
        var live = _end - _start;

        // A caller that appends without reading must not grow the buffer without bound.
        if ((long)live + bytes.Length > (2L * _maxMessageLength) + 65536)
        {
            Fail($"More than {_maxMessageLength} bytes of event-stream data are buffered without a complete message.");
        }

        if (_buffer.Length - _end < bytes.Length)
        {
            var target = _buffer.Length - live >= bytes.Length
                ? _buffer
                : ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, live + bytes.Length));
            Buffer.BlockCopy(_buffer, _start, target, 0, live);
            if (!ReferenceEquals(target, _buffer))
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _start = 0;
            _end = live;
        }

        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;

        // Reject a declared oversize message as soon as its prelude is here, not after buffering it.
        if (_end - _start >= PreludeLength)
        {
            ReadPrelude(_buffer.AsSpan(_start, PreludeLength));
        }
    }

    /// <summary>Takes the next complete message, if one is buffered. Its payload is valid until the next <see cref="Append"/>.</summary>
    public bool TryRead(out EventStreamMessage message)
    {
        ThrowIfFaulted();
        var available = _buffer.AsSpan(_start, _end - _start);
        if (available.Length < PreludeLength)
        {
            message = default;
            return false;
        }

        var (totalLength, headersLength) = ReadPrelude(available);
        if (available.Length < totalLength)
        {
            message = default;
            return false;
        }

        var frame = available[..totalLength];
        var expectedCrc = BinaryPrimitives.ReadUInt32BigEndian(frame[(totalLength - 4)..]);
        if (Crc32.Compute(frame[..(totalLength - 4)]) != expectedCrc)
        {
            Fail("An event-stream message failed its checksum.");
        }

        var headers = ReadHeaders(frame.Slice(PreludeLength, headersLength));
        var payloadStart = _start + PreludeLength + headersLength;
        message = new EventStreamMessage(headers, _buffer.AsMemory(payloadStart, totalLength - MinimumMessageLength - headersLength));
        _start += totalLength;
        if (_start == _end)
        {
            // The payload stays readable: nothing is written until the next Append.
            _start = 0;
            _end = 0;
        }

        return true;
    }

    /// <summary>Called at end of input: throws <see cref="InvalidDataException"/> if a message was cut off.</summary>
    public void Complete()
    {
        ThrowIfFaulted();
        if (HasPartialMessage)
        {
            Fail($"The event stream ended inside a message ({_end - _start} bytes of it received).");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _start = 0;
        _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private (int TotalLength, int HeadersLength) ReadPrelude(ReadOnlySpan<byte> prelude)
    {
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        var headers = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        var crc = BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]);

        // The lengths are trusted only once their checksum holds.
        if (Crc32.Compute(prelude[..8]) != crc)
        {
            Fail("An event-stream message prelude failed its checksum.");
        }

        if (total > (uint)_maxMessageLength)
        {
            Fail($"An event-stream message declares {total} bytes, more than the limit of {_maxMessageLength}.");
        }

        if (total < MinimumMessageLength || headers > total - MinimumMessageLength)
        {
            Fail($"An event-stream message declares impossible lengths (total {total}, headers {headers}).");
        }

        return ((int)total, (int)headers);
    }

    private EventStreamHeader[] ReadHeaders(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return [];
        }

        _headers.Clear();
        var position = 0;
        while (position < bytes.Length)
        {
            int nameLength = bytes[position++];
            if (nameLength == 0 || position + nameLength >= bytes.Length)
            {
                Fail("An event-stream header name is empty or runs past the headers.");
            }

            var name = Intern(bytes.Slice(position, nameLength));
            position += nameLength;
            var type = (EventStreamHeaderType)bytes[position++];
            _headers.Add(type switch
            {
                EventStreamHeaderType.BoolTrue => EventStreamHeader.Bool(name, true),
                EventStreamHeaderType.BoolFalse => EventStreamHeader.Bool(name, false),
                EventStreamHeaderType.Byte => EventStreamHeader.Byte(name, (sbyte)Take(bytes, ref position, 1)[0]),
                EventStreamHeaderType.Short => EventStreamHeader.Short(name, BinaryPrimitives.ReadInt16BigEndian(Take(bytes, ref position, 2))),
                EventStreamHeaderType.Integer => EventStreamHeader.Integer(name, BinaryPrimitives.ReadInt32BigEndian(Take(bytes, ref position, 4))),
                EventStreamHeaderType.Long => EventStreamHeader.Long(name, BinaryPrimitives.ReadInt64BigEndian(Take(bytes, ref position, 8))),
                EventStreamHeaderType.ByteArray => EventStreamHeader.ByteArray(name, TakeSized(bytes, ref position).ToArray()),
                EventStreamHeaderType.String => EventStreamHeader.String(name, Intern(TakeSized(bytes, ref position))),
                EventStreamHeaderType.Timestamp => EventStreamHeader.TimestampMilliseconds(name, Timestamp(Take(bytes, ref position, 8))),
                EventStreamHeaderType.Uuid => EventStreamHeader.Uuid(name, new Guid(Take(bytes, ref position, 16), bigEndian: true)),
                _ => throw Failure($"An event-stream header has unknown value type {(byte)type}."),
            });
        }

        return [.. _headers];
    }

    private ReadOnlySpan<byte> Take(ReadOnlySpan<byte> bytes, ref int position, int count)
    {
        if (bytes.Length - position < count)
        {
            Fail("An event-stream header value runs past the headers.");
        }

        var value = bytes.Slice(position, count);
        position += count;
        return value;
    }

    private ReadOnlySpan<byte> TakeSized(ReadOnlySpan<byte> bytes, ref int position)
    {
        var length = BinaryPrimitives.ReadUInt16BigEndian(Take(bytes, ref position, 2));
        return Take(bytes, ref position, length);
    }

    private long Timestamp(ReadOnlySpan<byte> bytes)
    {
        var milliseconds = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (milliseconds < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            Fail("An event-stream timestamp header is out of range.");
        }

        return milliseconds;
    }

    private string Intern(ReadOnlySpan<byte> utf8)
    {
        try
        {
            if (utf8.Length > MaxInternedLength)
            {
                return StrictUtf8.GetString(utf8);
            }

            Span<char> chars = stackalloc char[MaxInternedLength];
            var count = StrictUtf8.GetChars(utf8, chars);
            var lookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..count], out var known))
            {
                return known;
            }

            var text = new string(chars[..count]);
            if (_interned.Count < MaxInternedCount)
            {
                _interned[text] = text;
            }

            return text;
        }
        catch (DecoderFallbackException)
        {
            throw Failure("An event-stream header is not valid UTF-8.");
        }
    }

    private void ThrowIfFaulted()
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_faulted)
        {
            Fail("The event stream was already found malformed.");
        }
    }

    [DoesNotReturn]
    private void Fail(string message) => throw Failure(message);

    private InvalidDataException Failure(string message)
    {
        _faulted = true;
        return new InvalidDataException(message);
    }
}
