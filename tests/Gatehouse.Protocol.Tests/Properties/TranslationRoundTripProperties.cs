using FsCheck.Xunit;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;
using Xunit;

namespace Gatehouse.Protocol.Tests.Properties;

/// <summary>OpenAI → canonical → Anthropic → canonical → OpenAI keeps messages, tools, tool choice and tool calls.</summary>
public sealed class TranslationRoundTripProperties
{
    [Property(Arbitrary = [typeof(ConversationGenerators)], MaxTest = 300)]
    public void OpenAi_to_anthropic_and_back_keeps_the_conversation(Conversation conversation)
    {
        var original = conversation.Request;
        var fromOpenAi = ThroughOpenAi(original);
        var fromAnthropic = ThroughAnthropic(fromOpenAi);
        var backFromOpenAi = ThroughOpenAi(fromAnthropic);

        foreach (var translated in (ChatRequest[])[fromOpenAi, fromAnthropic, backFromOpenAi])
        {
            Fixture.AssertJsonEqual(CanonicalView.Parts(original), CanonicalView.Parts(translated));
            Fixture.AssertJsonEqual(CanonicalView.Tools(original), CanonicalView.Tools(translated));
            Assert.Equal(original.ToolChoice, translated.ToolChoice);
        }
    }

    private static ChatRequest ThroughOpenAi(ChatRequest request)
    {
        using var buffer = new PooledBufferWriter();
        OpenAiChatRequestEncoder.Encode(request, "gpt-4o", buffer);
        return OpenAiChatRequestDecoder.Decode(buffer.WrittenMemory);
    }

    private static ChatRequest ThroughAnthropic(ChatRequest request)
    {
        using var buffer = new PooledBufferWriter();
        AnthropicRequestEncoder.Encode(request, "claude-sonnet-4-5", 4096, buffer);
        return AnthropicRequestDecoder.Decode(buffer.WrittenMemory);
    }
}
