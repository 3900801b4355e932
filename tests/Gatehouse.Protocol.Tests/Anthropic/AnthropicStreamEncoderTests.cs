using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.Tests.OpenAi;
using Xunit;

namespace Gatehouse.Protocol.Tests.Anthropic;

public sealed class AnthropicStreamEncoderTests
{
    [Fact]
    public void Decoded_golden_transcript_re_encodes_to_a_valid_stream_that_decodes_to_the_same_events()
    {
        var transcript = StreamTranscript.Encode(AnthropicStreamDecoderTests.Expected, new AnthropicStreamEncoder("claude-sonnet-4-5"));

        Assert.Equal(
            [
                "message_start",
                "start[0]:thinking", "delta[0]:thinking_delta", "delta[0]:thinking_delta", "delta[0]:signature_delta", "stop[0]",
                "start[1]:text", "delta[1]:text_delta", "delta[1]:text_delta", "stop[1]",
                "start[2]:tool_use", "delta[2]:input_json_delta", "delta[2]:input_json_delta", "delta[2]:input_json_delta", "stop[2]",
                "message_delta:tool_use", "message_stop",
            ],
            AnthropicEventSequence.AssertValid(transcript));
        var events = StreamTranscript.Events(transcript, [int.MaxValue]);
        Fixture.AssertJsonEqual(
            """
            {"type":"message_start","message":{"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[],"stop_reason":null,"stop_sequence":null,
             "usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2}}}
            """,
            events[0].Data);
        Fixture.AssertJsonEqual(
            """
            {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},
             "usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":89}}
            """,
            events[^2].Data);
        Assert.Equal(AnthropicStreamDecoderTests.Expected, StreamTranscript.Decode(transcript, new AnthropicStreamDecoder(), [int.MaxValue]));
    }

    [Fact]
    public void OpenAi_stream_translates_to_a_valid_anthropic_stream()
    {
        var canonical = OpenAiStreamDecoderTests.DecodeTranscript([int.MaxValue]);

        var transcript = StreamTranscript.Encode(canonical, new AnthropicStreamEncoder("gpt-4o"));

        Assert.Equal(
            [
                "message_start",
                "start[0]:text", "delta[0]:text_delta", "delta[0]:text_delta", "stop[0]",
                "start[1]:tool_use", "delta[1]:input_json_delta", "delta[1]:input_json_delta", "stop[1]",
                "start[2]:tool_use", "delta[2]:input_json_delta", "delta[2]:input_json_delta", "stop[2]",
                "message_delta:tool_use", "message_stop",
            ],
            AnthropicEventSequence.AssertValid(transcript));
        // Decoded again, only the id (now msg_-prefixed) and the order of usage (message_delta) and finish (message_stop) differ.
        var expected = OpenAiStreamDecoderTests.Expected.ToList();
        expected[0] = new MessageStartEvent("msg_chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "gpt-4o-2024-08-06", default);
        (expected[^2], expected[^1]) = (expected[^1], expected[^2]);
        Assert.Equal(expected, StreamTranscript.Decode(transcript, new AnthropicStreamDecoder(), [int.MaxValue]));
    }

    [Fact]
    public void Gemini_thought_signature_rides_in_its_own_signed_thinking_block_before_the_tool_call()
    {
        var transcript = StreamTranscript.Encode(
            [
                new MessageStartEvent("gen_1", "gemini-2.5-flash", default),
                new ToolCallStartEvent(0, "call_1", "get_weather", "Q2lR"),
                new ToolArgumentsDeltaEvent(0, """{"city":"Paris"}"""),
                new BlockStopEvent(0),
                new FinishEvent(FinishReason.ToolCalls),
            ],
            new AnthropicStreamEncoder("gemini"));

        Assert.Equal(
            [
                "message_start",
                "start[0]:thinking", "delta[0]:signature_delta", "stop[0]",
                "start[1]:tool_use", "delta[1]:input_json_delta", "stop[1]",
                "message_delta:tool_use", "message_stop",
            ],
            AnthropicEventSequence.AssertValid(transcript));
        Fixture.AssertJsonEqual(
            """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"gatehouse.gemini:Q2lR"}}""",
            StreamTranscript.Events(transcript, [int.MaxValue])[3].Data);
    }

    [Fact]
    public void Error_is_written_as_an_anthropic_error_event()
    {
        using var buffer = new PooledBufferWriter();

        new AnthropicStreamEncoder("m").WriteError(new GatewayError(ErrorKind.UpstreamUnavailable, "The provider is overloaded: Overloaded", "upstream_overloaded"), buffer);

        var (name, data) = Assert.Single(StreamTranscript.Events(buffer.WrittenSpan.ToArray(), [int.MaxValue]));
        Assert.Equal("error", name);
        Fixture.AssertJsonEqual("""{"type":"error","error":{"type":"overloaded_error","message":"The provider is overloaded: Overloaded"}}""", data);
    }
}
