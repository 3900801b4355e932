using System.Buffers;
using Gatehouse.Core;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Pipeline;

/// <summary>Reads a request body into a pooled buffer, enforcing the configured size limit (413).</summary>
public static class RequestBodyReader
{
    /// <summary>Reads the whole body. The caller returns the array to <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static async Task<(byte[] Buffer, int Length)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        throw TooLarge(maxBytes);
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await ReadSomeAsync(request, buffer.AsMemory(length), maxBytes, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new GatewayException(GatewayError.Invalid("The request body is empty. Send a JSON object.", code: "empty_body"));
        }

        return (buffer, length);
    }

    // Kestrel refuses a body itself when it breaks the protocol (it ended early, bad chunk framing) and when a chunked
    // body passes the server's limit before the gateway has read that far: both are the client's error, not a bug.
    private static async ValueTask<int> ReadSomeAsync(HttpRequest request, Memory<byte> into, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            return await request.Body.ReadAsync(into, cancellationToken);
        }
        catch (BadHttpRequestException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left mid-body: a disconnect (499), not a bad request.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
        catch (BadHttpRequestException ex)
        {
            throw new GatewayException(GatewayError.Invalid($"The request body could not be read: {ex.Message} Send the whole body, framed as HTTP/1.1 requires.", code: "invalid_body"));
        }
    }

    private static GatewayException TooLarge(long maxBytes) => new(new GatewayError(
        ErrorKind.PayloadTooLarge,
        $"The request body is larger than this gateway accepts ({maxBytes} bytes). Send less content or raise server.max_body_bytes.",
        "request_too_large"));
}
