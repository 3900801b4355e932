using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Server.Pipeline;

/// <summary>A non-streamed upstream answer read and decoded but not yet delivered, or the error the attempt ended with.</summary>
public sealed class FetchedAnswer : IDisposable
{
    /// <summary>Wraps a read answer; the instance owns <paramref name="body"/>.</summary>
    public FetchedAnswer(UpstreamBody body, ChatResponse decoded)
    {
        Body = body;
        Decoded = decoded;
    }

    private FetchedAnswer(GatewayError error) => Error = error;

    /// <summary>The upstream's bytes (forwarded as they are on the pass-through path).</summary>
    public UpstreamBody? Body { get; }

    /// <summary>The decoded answer.</summary>
    public ChatResponse? Decoded { get; }

    /// <summary>Why the attempt failed; null when it succeeded.</summary>
    public GatewayError? Error { get; }

    /// <summary>A failed attempt.</summary>
    public static FetchedAnswer Failed(GatewayError error) => new(error);

    /// <inheritdoc />
    public void Dispose() => Body?.Dispose();
}
