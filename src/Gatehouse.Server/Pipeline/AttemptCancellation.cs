using Gatehouse.Core;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// The cancellation of one upstream attempt: the client going away, the time-to-first-byte timeout (until the
/// first byte arrives) and the total timeout. Tells which one fired so the right error is reported.
/// </summary>
public sealed class AttemptCancellation : IDisposable
{
    private readonly CancellationTokenSource _firstByte;
    private readonly CancellationTokenSource _total;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _client;
    private readonly TimeSpan _firstByteTimeout;
    private readonly TimeSpan _totalTimeout;

    /// <summary>Starts the timers.</summary>
    public AttemptCancellation(TimeSpan firstByteTimeout, TimeSpan totalTimeout, TimeProvider time, CancellationToken client)
    {
        _firstByteTimeout = firstByteTimeout;
        _totalTimeout = totalTimeout;
        _client = client;
        _firstByte = new CancellationTokenSource(firstByteTimeout, time);
        _total = new CancellationTokenSource(totalTimeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(client, _firstByte.Token, _total.Token);
    }

    /// <summary>The token to pass to upstream I/O.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Whether the client disconnected.</summary>
    public bool ClientGone => _client.IsCancellationRequested;

    /// <summary>Stops the first-byte timer once the upstream has answered.</summary>
    public void FirstByteReceived() => _firstByte.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>The error for a cancellation that was not the client's doing.</summary>
    public GatewayError TimeoutError(string provider) => _firstByte.IsCancellationRequested
        ? new GatewayError(ErrorKind.UpstreamTimeout, $"Provider '{provider}' sent nothing within {_firstByteTimeout.TotalSeconds:0.###}s (first_byte_timeout).", "upstream_timeout")
        : new GatewayError(ErrorKind.UpstreamTimeout, $"Provider '{provider}' did not finish within {_totalTimeout.TotalSeconds:0.###}s (timeout).", "upstream_timeout");

    /// <inheritdoc />
    public void Dispose()
    {
        _linked.Dispose();
        _firstByte.Dispose();
        _total.Dispose();
    }
}
