using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Protocol.Tests.Anthropic;
using Xunit;

namespace Gatehouse.Protocol.Tests.OpenAi;

public sealed class OpenAiStreamEncoderTests
{
    private const long Created = 1741570283;

    [Fact]
    public void Decoded_golden_transcript_re_encodes_to_a_valid_stream_that_decodes_to_the_same_events()
    {
        var transcript = StreamTranscript.Encode(OpenAiStreamDecoderTests.Expected, new OpenAiStreamEncoder("gpt-4o", Created, includeUsage: true));

        var chunks = OpenAiChunkSequence.AssertValid(transcript, expectUsage: true);
        Assert.Equal(11, chunks.Count);
        Fixture.AssertJsonEqual(
            """
            {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06",
             "choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_def456","type":"function","function":{"name":"get_weather","arguments":""}}]},
                         "logprobs":null,"finish_reason":null}]}
            """,
            chunks[6].ToJsonString());
        Fixture.AssertJsonEqual(
            """
            {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","choices":[],
             "usage":{"prompt_tokens":1117,"completion_tokens":46,"total_tokens":1163,"prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":0}}}
            """,
            chunks[10].ToJsonString());
        Assert.Equal(OpenAiStreamDecoderTests.Expected, StreamTranscript.Decode(transcript, new OpenAiStreamDecoder(), [int.MaxValue]));
    }

    [Fact]
    public void Anthropic_stream_translates_to_a_valid_openai_stream()
    {
        var canonical = AnthropicStreamDecoderTests.DecodeTranscript([int.MaxValue]);

        var transcript = StreamTranscript.Encode(canonical, new OpenAiStreamEncoder("claude-sonnet-4-5", Created, includeUsage: true));

        var chunks = OpenAiChunkSequence.AssertValid(transcript, expectUsage: true);
        Assert.Equal(
            """{"reasoning_content":" I should call get_weather."}""",
            chunks[2]["choices"]![0]!["delta"]!.ToJsonString());
        Fixture.AssertJsonEqual(
            """{"thinking_blocks":[{"type":"thinking","thinking":"The user wants the weather in Paris. I should call get_weather.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds7N7Yx7hSvmPmDLeAuotSHFFE6bGb5Kg3bNV5Q5e"}]}""",
            chunks[3]["choices"]![0]!["delta"]!.ToJsonString());
        // Decoded again, only what OpenAI chunks cannot say differs: no usage at the start, no empty argument
        // fragments, and the finish chunk before the usage chunk.
        var expected = AnthropicStreamDecoderTests.Expected.Where(e => e is not ToolArgumentsDeltaEvent { JsonFragment.Length: 0 }).ToList();
        expected[0] = new MessageStartEvent("msg_01Aq9w938a90dw8q", "claude-sonnet-4-5-20250929", default);
        (expected[^2], expected[^1]) = (expected[^1], expected[^2]);
        Assert.Equal(expected, StreamTranscript.Decode(transcript, new OpenAiStreamDecoder(), [int.MaxValue]));
    }

    [Fact]
    public void Usage_chunk_is_left_out_unless_the_client_asked_for_it()
    {
        var transcript = StreamTranscript.Encode(OpenAiStreamDecoderTests.Expected, new OpenAiStreamEncoder("gpt-4o", Created, includeUsage: false));

        Assert.Equal(10, OpenAiChunkSequence.AssertValid(transcript, expectUsage: false).Count);
    }

    [Fact]
    public void Error_ends_the_stream_with_an_openai_error_object_and_done()
    {
        using var buffer = new PooledBufferWriter();

        new OpenAiStreamEncoder("m", Created, includeUsage: true).WriteError(
            new GatewayError(ErrorKind.UpstreamUnavailable, "The provider is overloaded: Overloaded", "upstream_overloaded"), buffer);

        var events = StreamTranscript.Events(buffer.WrittenSpan.ToArray(), [int.MaxValue]);
        Assert.Equal(2, events.Count);
        Fixture.AssertJsonEqual(
            """{"error":{"message":"The provider is overloaded: Overloaded","type":"upstream_error","param":null,"code":"upstream_overloaded"}}""",
            events[0].Data);
        Assert.Equal((null, "[DONE]"), events[1]);
    }

    [Fact]
    public void Redacted_thinking_is_sent_as_a_thinking_block()
    {
        var transcript = StreamTranscript.Encode(
            [new MessageStartEvent("c", "m", default), new ThinkingStartEvent(0, "ZW5j"), new BlockStopEvent(0), new FinishEvent(FinishReason.Stop)],
            new OpenAiStreamEncoder("m", Created, includeUsage: false));

        var chunks = OpenAiChunkSequence.AssertValid(transcript, expectUsage: false);
        Fixture.AssertJsonEqual(
            """{"thinking_blocks":[{"type":"redacted_thinking","data":"ZW5j"}]}""",
            chunks[1]["choices"]![0]!["delta"]!.ToJsonString());
        Assert.Equal(3, chunks.Count);
        Assert.Equal("stop", (string?)chunks[2]["choices"]![0]!["finish_reason"]);
    }
}
