using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Streaming;

/// <summary>Turns one provider's stream messages into canonical stream events. One instance per stream.</summary>
public interface IStreamDecoder
{
    /// <summary>Decodes one upstream message (an SSE event or an event-stream frame) into zero or more events.</summary>
    /// <param name="eventType">The SSE event name or event-stream <c>:event-type</c>, if any.</param>
    /// <param name="payload">The message's JSON payload.</param>
    /// <param name="output">Receives the decoded events.</param>
    /// <returns>False when the message marks the end of the stream.</returns>
    bool Decode(string? eventType, ReadOnlySpan<byte> payload, List<StreamEvent> output);

    /// <summary>Called at end of stream: closes any open blocks.</summary>
    void Complete(List<StreamEvent> output);
}
