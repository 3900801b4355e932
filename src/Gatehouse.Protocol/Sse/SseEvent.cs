namespace Gatehouse.Protocol.Sse;

/// <summary>One server-sent event. <see cref="Data"/> is valid only until the reader's next read.</summary>
public readonly record struct SseEvent(string? EventType, ReadOnlyMemory<byte> Data)
{
    /// <summary>Whether this is OpenAI's <c>[DONE]</c> sentinel.</summary>
    public bool IsDone => Data.Span.SequenceEqual("[DONE]"u8);
}
