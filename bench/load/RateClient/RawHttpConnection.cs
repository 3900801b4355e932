using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Bench.RateClient;

/// <summary>
/// One keep-alive HTTP/1.1 connection driven with blocking socket calls on its own thread: no thread-pool hand-off,
/// no epoll loop, so the client adds a few microseconds per request instead of the tens that an
/// <see cref="HttpClient"/> sharing one core with the fake upstream added (and its scheduling stalls, which showed up
/// as millisecond tails even when nothing stood between it and the fake).
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private const int BufferBytes = 64 * 1024;
    private const int LookBehindBytes = 256;

    private readonly EndPoint _endPoint;
    private readonly byte[] _request;
    private readonly int _timeoutMilliseconds;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private Socket? _socket;
    private int _start;
    private int _end;

    /// <summary>Creates a connection (opened on first use) that sends <paramref name="request"/> each time.</summary>
    public RawHttpConnection(EndPoint endPoint, byte[] request, TimeSpan timeout)
    {
        _endPoint = endPoint;
        _request = request;
        _timeoutMilliseconds = (int)timeout.TotalMilliseconds;
    }

    /// <summary>Builds the bytes of the POST request the options describe.</summary>
    public static byte[] BuildRequest(RateOptions options)
    {
        var head = new StringBuilder()
            .Append("POST ").Append(options.Url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(options.Url.Authority).Append("\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Content-Length: ").Append(options.Body.Length).Append("\r\n");
        foreach (var (name, value) in options.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. options.Body];
    }

    /// <summary>
    /// Sends the request and reads the whole answer (Content-Length or chunked); returns the status, the timestamp
    /// at which the response head was complete, and whether the body contained <paramref name="expect"/> (searched in
    /// the first <see cref="BufferBytes"/> bytes of each read). Throws on a transport error or a malformed answer.
    /// </summary>
    public ResponseOutcome Exchange(ReadOnlySpan<byte> expect)
    {
        if (_socket is null)
        {
            Open();
        }

        _socket!.Send(_request);
        var status = ReadHead(out var contentLength, out var chunked, out var close);
        var headAt = System.Diagnostics.Stopwatch.GetTimestamp();
        var found = expect.IsEmpty;
        if (chunked)
        {
            found |= ReadChunked(expect);
        }
        else if (contentLength >= 0)
        {
            found |= ReadFixed(contentLength, expect);
        }
        else
        {
            throw new InvalidDataException("answer has neither Content-Length nor chunked encoding");
        }

        if (close)
        {
            Reset();
        }

        return new ResponseOutcome(status, headAt, found);
    }

    /// <summary>Drops the socket (after an error); the next exchange reconnects.</summary>
    public void Reset()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    /// <inheritdoc/>
    public void Dispose() => Reset();

    private void Open()
    {
        var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = _timeoutMilliseconds,
            SendTimeout = _timeoutMilliseconds,
        };
        try
        {
            socket.Connect(_endPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _start = _end = 0;
    }

    private int ReadHead(out long contentLength, out bool chunked, out bool close)
    {
        contentLength = -1;
        chunked = false;
        close = false;
        var statusLine = ReadLine();
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"not an HTTP/1.x status line: {statusLine}");
        }

        var status = int.Parse(statusLine.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        while (ReadLine() is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("content-length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("connection", StringComparison.OrdinalIgnoreCase))
            {
                close = value.Equals("close", StringComparison.OrdinalIgnoreCase);
            }
        }

        return status;
    }

    private bool ReadFixed(long length, ReadOnlySpan<byte> expect)
    {
        var found = false;
        while (length > 0)
        {
            if (_start == _end)
            {
                Fill();
            }

            // The search starts a little before the new bytes, so a text split across two reads is still found.
            var take = (int)Math.Min(length, _end - _start);
            var from = Math.Max(0, _start - expect.Length + 1);
            found |= !expect.IsEmpty && _buffer.AsSpan(from, _start + take - from).IndexOf(expect) >= 0;
            _start += take;
            length -= take;
        }

        return found;
    }

    private bool ReadChunked(ReadOnlySpan<byte> expect)
    {
        var found = false;
        while (true)
        {
            var sizeLine = ReadLine();
            var semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
            var size = long.Parse(semicolon < 0 ? sizeLine : sizeLine[..semicolon], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while (ReadLine().Length > 0)
                {
                    // Trailer fields, if any, up to the empty line.
                }

                return found;
            }

            found |= ReadFixed(size, expect);
            if (ReadLine().Length != 0)
            {
                throw new InvalidDataException("chunk not followed by CRLF");
            }
        }
    }

    private string ReadLine()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = newline > 0 && _buffer[_start + newline - 1] == '\r' ? newline - 1 : newline;
                var line = Encoding.ASCII.GetString(_buffer, _start, length);
                _start += newline + 1;
                return line;
            }

            if (_start <= LookBehindBytes && _end == _buffer.Length)
            {
                throw new InvalidDataException("header line longer than the buffer");
            }

            Fill();
        }
    }

    // Moves unread bytes (and the last few read ones, for the split-text search) to the front and reads more; throws
    // when the peer closed the connection.
    private void Fill()
    {
        var keep = Math.Min(_start, LookBehindBytes);
        if (_start > keep)
        {
            _buffer.AsSpan(_start - keep, _end - _start + keep).CopyTo(_buffer);
            _end -= _start - keep;
            _start = keep;
        }

        var read = _socket!.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (read == 0)
        {
            throw new IOException("connection closed by the server");
        }

        _end += read;
    }
}

/// <summary>What one exchange gave: status, when the head was complete, and whether the expected text was seen.</summary>
internal readonly record struct ResponseOutcome(int Status, long HeadTimestamp, bool ContainsExpected);
