using System.Buffers;
using System.Runtime.CompilerServices;
using Gatehouse.Core;

namespace Gatehouse.Server.Pipeline;

/// <summary>An upstream answer body in a buffer rented from the shared pool; dispose to return it.</summary>
public sealed class UpstreamBody : IDisposable
{
    private byte[] _buffer;

    private UpstreamBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>The number of bytes read.</summary>
    public int Length { get; }

    /// <summary>The bytes read.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads the whole body, at most <paramref name="limit"/> bytes; a longer body is an upstream error.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<UpstreamBody> ReadAsync(HttpResponseMessage response, int limit, string provider, CancellationToken cancellationToken)
    {
        var expected = response.Content.Headers.ContentLength is { } declared && declared <= limit ? (int)declared : 8192;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(expected + 1, 1024));
        var length = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= limit)
                    {
                        throw new GatewayException(new GatewayError(ErrorKind.UpstreamError, $"Provider '{provider}' sent an answer larger than {limit} bytes.", "upstream_too_large"));
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return new UpstreamBody(buffer, length);
                }

                length += read;
                if (length > limit)
                {
                    throw new GatewayException(new GatewayError(ErrorKind.UpstreamError, $"Provider '{provider}' sent an answer larger than {limit} bytes.", "upstream_too_large"));
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
