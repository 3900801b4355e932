namespace Gatehouse.Server.Pipeline;

/// <summary>Reads the messages of a streamed upstream answer, whatever its framing.</summary>
public interface IUpstreamMessageReader : IDisposable
{
    /// <summary>The current message's event type, if the framing has one.</summary>
    string? EventType { get; }

    /// <summary>The current message's payload; valid until the next read.</summary>
    ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The current message's raw bytes as the upstream framed them, for pass-through; valid until the next read.</summary>
    ReadOnlyMemory<byte> Raw { get; }

    /// <summary>Moves to the next message; false at the end of the stream.</summary>
    ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Moves to the next message only if it is already received in full; false when reading it would wait.</summary>
    bool TryReadBuffered();
}
