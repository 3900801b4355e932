using System.Net;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Providers;

/// <summary>
/// An upstream JSON request body encoded into a pooled buffer. The buffer goes back to the pool when the request
/// message (and so this content) is disposed, so translated requests cost no per-request byte array.
/// </summary>
public sealed class PooledJsonContent : HttpContent
{
    private readonly PooledBufferWriter _buffer;

    private PooledJsonContent(PooledBufferWriter buffer)
    {
        _buffer = buffer;
        Headers.TryAddWithoutValidation("Content-Type", MediaType);
    }

    /// <summary>The content type of JSON bodies, set as text: a parsed header value is formatted again on every send.</summary>
    public const string MediaType = "application/json";

    /// <summary>The encoded bytes (valid until disposal), for signing.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.WrittenMemory;

    /// <summary>Encodes a body with <paramref name="encode"/>.</summary>
    public static PooledJsonContent Create(Action<PooledBufferWriter> encode)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            encode(buffer);
            return new PooledJsonContent(buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(_buffer.WrittenMemory).AsTask();

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).AsTask();

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = _buffer.WrittenCount;
        return true;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
