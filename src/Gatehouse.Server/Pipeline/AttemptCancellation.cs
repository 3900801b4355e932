using Gatehouse.Core;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// The cancellation of one upstream attempt: the client going away, the time-to-first-byte timeout (until the
/// first byte arrives), then the total timeout, both capped by what is left of the request's deadline. One timer on
/// the injected clock serves them all. Tells which one fired so the right error is reported.
/// </summary>
public sealed class AttemptCancellation : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _clientRegistration;
    private readonly CancellationToken _client;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly TimeSpan _firstByteTimeout;
    private readonly TimeSpan _totalTimeout;
    private readonly bool _deadlineBound;
    private bool _firstByteReceived;

    /// <summary>Starts the timer; <paramref name="deadlineLeft"/> is what is left of the request's deadline, if it has one.</summary>
    public AttemptCancellation(TimeSpan firstByteTimeout, TimeSpan totalTimeout, TimeProvider time, CancellationToken client, TimeSpan? deadlineLeft = null)
    {
        if (deadlineLeft is { } left && left < totalTimeout)
        {
            totalTimeout = left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1);
            _deadlineBound = true;
        }

        _firstByteTimeout = firstByteTimeout < totalTimeout ? firstByteTimeout : totalTimeout;
        _totalTimeout = totalTimeout;
        _client = client;
        _time = time;
        _started = time.GetTimestamp();
        _source = new CancellationTokenSource(_firstByteTimeout, time);
        _clientRegistration = client.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _source);
    }

    /// <summary>Starts the timer for an attempt of <paramref name="exchange"/> on <paramref name="target"/>.</summary>
    public static AttemptCancellation For(Exchange exchange, RouteTarget target, TimeProvider time, CancellationToken client)
    {
        var options = target.Provider.Options;
        TimeSpan? left = exchange.Deadline is { } deadline ? time.GetElapsedTime(time.GetTimestamp(), deadline) : null;
        return new AttemptCancellation(options.FirstByteTimeout, options.TotalTimeout, time, client, left);
    }

    /// <summary>The token to pass to upstream I/O.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the client disconnected.</summary>
    public bool ClientGone => _client.IsCancellationRequested;

    /// <summary>Switches from the first-byte timeout to what is left of the total timeout.</summary>
    public void FirstByteReceived()
    {
        if (_firstByteReceived)
        {
            return;
        }

        _firstByteReceived = true;
        var left = _totalTimeout - _time.GetElapsedTime(_started);
        _source.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    /// <summary>The error for a cancellation that was not the client's doing.</summary>
    public GatewayError TimeoutError(string provider) => !_firstByteReceived && _firstByteTimeout < _totalTimeout
        ? new GatewayError(ErrorKind.UpstreamTimeout, $"Provider '{provider}' sent nothing within {_firstByteTimeout.TotalSeconds:0.###}s (first_byte_timeout).", "upstream_timeout")
        : _deadlineBound
            ? new GatewayError(ErrorKind.UpstreamTimeout, $"The request's deadline passed while provider '{provider}' was answering (deadline).", "deadline_exceeded")
            : new GatewayError(ErrorKind.UpstreamTimeout, $"Provider '{provider}' did not finish within {_totalTimeout.TotalSeconds:0.###}s (timeout).", "upstream_timeout");

    /// <inheritdoc />
    public void Dispose()
    {
        _clientRegistration.Dispose();
        _source.Dispose();
    }
}
