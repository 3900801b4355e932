using System.Buffers;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.Sse;

/// <summary>
/// Incremental server-sent-events parser (WHATWG rules): feed it bytes in any chunking, take complete events out.
/// Lines end with LF, CR or CRLF; multiple data lines join with LF; comments and unknown fields are ignored.
/// </summary>
public sealed class SseParser : IDisposable
{
    private readonly PooledBufferWriter _data = new(1024);
    private readonly int _maxEventBytes;
    private Dictionary<string, string>? _eventNames;
    private byte[] _pending = ArrayPool<byte>.Shared.Rent(4096);
    private int _pendingStart;
    private int _pendingEnd;
    private string? _eventType;
    private bool _hasData;
    private bool _skipLeadingLf;
    private bool _dispatched;

    /// <summary>Creates a parser that rejects events larger than <paramref name="maxEventBytes"/>.</summary>
    public SseParser(int maxEventBytes = 8 * 1024 * 1024) => _maxEventBytes = maxEventBytes;

    /// <summary>Appends received bytes.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_pending.Length - _pendingEnd < bytes.Length)
        {
            var live = _pendingEnd - _pendingStart;
            if (live + bytes.Length > _maxEventBytes + 65536)
            {
                throw new InvalidDataException($"A server-sent event exceeded {_maxEventBytes} bytes.");
            }

            var target = _pending.Length - live >= bytes.Length ? _pending : ArrayPool<byte>.Shared.Rent(Math.Max(_pending.Length * 2, live + bytes.Length));
            Buffer.BlockCopy(_pending, _pendingStart, target, 0, live);
            if (!ReferenceEquals(target, _pending))
            {
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = target;
            _pendingStart = 0;
            _pendingEnd = live;
        }

        bytes.CopyTo(_pending.AsSpan(_pendingEnd));
        _pendingEnd += bytes.Length;
    }

    /// <summary>Takes the next complete event, if one is buffered. The event's data is valid until the next call.</summary>
    public bool TryRead(out SseEvent sseEvent) => TryReadCore(endOfStream: false, out sseEvent);

    /// <summary>At end of stream: takes a final event that was not terminated by a blank line.</summary>
    public bool TryReadFinal(out SseEvent sseEvent) => TryReadCore(endOfStream: true, out sseEvent);

    /// <inheritdoc />
    public void Dispose()
    {
        _data.Dispose();
        var pending = _pending;
        _pending = [];
        _pendingStart = _pendingEnd = 0;
        if (pending.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(pending);
        }
    }

    private bool TryReadCore(bool endOfStream, out SseEvent sseEvent)
    {
        if (_dispatched)
        {
            // The previous event's data has been consumed by the caller.
            _data.Clear();
            _dispatched = false;
        }

        while (true)
        {
            var span = _pending.AsSpan(_pendingStart, _pendingEnd - _pendingStart);
            if (_skipLeadingLf && span.Length > 0)
            {
                _skipLeadingLf = false;
                if (span[0] == (byte)'\n')
                {
                    _pendingStart++;
                    continue;
                }
            }

            var end = span.IndexOfAny((byte)'\n', (byte)'\r');
            ReadOnlySpan<byte> line;
            if (end < 0)
            {
                if (!endOfStream)
                {
                    sseEvent = default;
                    return false;
                }

                if (span.Length > 0)
                {
                    ProcessLine(span);
                    _pendingStart = _pendingEnd;
                }

                return Dispatch(out sseEvent);
            }

            line = span[..end];
            if (span[end] == (byte)'\r')
            {
                if (end + 1 < span.Length)
                {
                    _pendingStart += span[end + 1] == (byte)'\n' ? end + 2 : end + 1;
                }
                else
                {
                    // A CR at the end of what we have may be the first half of CRLF.
                    _skipLeadingLf = true;
                    _pendingStart += end + 1;
                }
            }
            else
            {
                _pendingStart += end + 1;
            }

            if (line.IsEmpty)
            {
                if (Dispatch(out sseEvent))
                {
                    return true;
                }

                continue;
            }

            ProcessLine(line);
        }
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        if (line[0] == (byte)':')
        {
            return;
        }

        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            if (_hasData)
            {
                _data.Write("\n"u8);
            }

            if (_data.WrittenCount + value.Length > _maxEventBytes)
            {
                throw new InvalidDataException($"A server-sent event exceeded {_maxEventBytes} bytes.");
            }

            _data.Write(value);
            _hasData = true;
        }
        else if (field.SequenceEqual("event"u8))
        {
            _eventType = InternEventName(value);
        }
    }

    private string InternEventName(ReadOnlySpan<byte> value)
    {
        var lookup = (_eventNames ??= new(StringComparer.Ordinal)).GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> chars = stackalloc char[Math.Min(value.Length, 128)];
        if (value.Length <= 128)
        {
            var count = System.Text.Encoding.UTF8.GetChars(value, chars);
            if (lookup.TryGetValue(chars[..count], out var known))
            {
                return known;
            }

            var name = new string(chars[..count]);
            if (_eventNames.Count < 64)
            {
                _eventNames[name] = name;
            }

            return name;
        }

        return System.Text.Encoding.UTF8.GetString(value);
    }

    private bool Dispatch(out SseEvent sseEvent)
    {
        if (!_hasData)
        {
            _eventType = null;
            sseEvent = default;
            return false;
        }

        sseEvent = new SseEvent(_eventType, _data.WrittenMemory);
        _hasData = false;
        _eventType = null;
        _dispatched = true;
        return true;
    }
}
