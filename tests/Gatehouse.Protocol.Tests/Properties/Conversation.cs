using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;

namespace Gatehouse.Protocol.Tests.Properties;

/// <summary>A generated canonical request; prints as its OpenAI body so a failing case can be read and replayed.</summary>
public sealed class Conversation
{
    internal Conversation(ChatRequest request) => Request = request;

    internal ChatRequest Request { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        using var buffer = new PooledBufferWriter();
        OpenAiChatRequestEncoder.Encode(Request, Request.Model, buffer);
        return Fixture.Utf8(buffer.WrittenSpan);
    }
}
