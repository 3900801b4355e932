using Gatehouse.Core;

namespace Gatehouse.Server.Pipeline;

/// <summary>Reads upstream bodies with a size cap.</summary>
public static class UpstreamBody
{
    /// <summary>Reads at most <paramref name="limit"/> bytes; a longer body is an upstream error.</summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, int limit, string provider, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream(response.Content.Headers.ContentLength is { } length && length <= limit ? (int)length : 4096);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > limit)
            {
                throw new GatewayException(new GatewayError(ErrorKind.UpstreamError, $"Provider '{provider}' sent an answer larger than {limit} bytes.", "upstream_too_large"));
            }

            buffer.Write(chunk, 0, read);
        }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
