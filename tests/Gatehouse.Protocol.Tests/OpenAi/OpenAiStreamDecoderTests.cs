using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Xunit;

namespace Gatehouse.Protocol.Tests.OpenAi;

public sealed class OpenAiStreamDecoderTests
{
    internal static readonly StreamEvent[] Expected =
    [
        new MessageStartEvent("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "gpt-4o-2024-08-06", default),
        new TextStartEvent(0),
        new TextDeltaEvent(0, "Let me check"),
        new TextDeltaEvent(0, " both cities."),
        new BlockStopEvent(0),
        new ToolCallStartEvent(1, "call_abc123", "get_weather"),
        new ToolArgumentsDeltaEvent(1, "{\"location\":"),
        new ToolArgumentsDeltaEvent(1, " \"Paris, France\"}"),
        new BlockStopEvent(1),
        new ToolCallStartEvent(2, "call_def456", "get_weather"),
        new ToolArgumentsDeltaEvent(2, "{\"location\":"),
        new ToolArgumentsDeltaEvent(2, " \"Tokyo, Japan\"}"),
        new BlockStopEvent(2),
        new FinishEvent(FinishReason.ToolCalls),
        new UsageEvent(new Usage(InputTokens: 93, OutputTokens: 46, CachedInputTokens: 1024)),
    ];

    [Fact]
    public void Golden_transcript_decodes_to_the_expected_events()
    {
        Assert.Equal(Expected, DecodeTranscript([int.MaxValue]));
    }

    [Property(MaxTest = 200)]
    public bool Chunk_boundaries_do_not_change_events(PositiveInt[] cuts) =>
        Expected.SequenceEqual(DecodeTranscript(StreamTranscript.Sizes(cuts, 61)));

    [Fact]
    public void Done_sentinel_ends_the_stream()
    {
        Assert.False(new OpenAiStreamDecoder().Decode(null, "[DONE]"u8, []));
    }

    [Fact]
    public void Reasoning_deltas_and_a_signature_open_one_thinking_block_before_the_text()
    {
        var events = StreamTranscript.DecodePayloads(
            new OpenAiStreamDecoder(),
            """{"id":"c","model":"m","choices":[{"delta":{"reasoning_content":"Think"}}]}""",
            """{"choices":[{"delta":{"reasoning_content":" more","thinking_blocks":[{"type":"thinking","thinking":"Think more","signature":"c2ln"}]}}]}""",
            """{"choices":[{"delta":{"content":"Answer"},"finish_reason":"stop"}]}""");

        Assert.Equal(
            [
                new MessageStartEvent("c", "m", default),
                new ThinkingStartEvent(0),
                new ThinkingDeltaEvent(0, "Think"),
                new ThinkingDeltaEvent(0, " more"),
                new SignatureDeltaEvent(0, "c2ln"),
                new BlockStopEvent(0),
                new TextStartEvent(1),
                new TextDeltaEvent(1, "Answer"),
                new BlockStopEvent(1),
                new FinishEvent(FinishReason.Stop),
            ],
            events);
    }

    [Fact]
    public void Stream_cut_before_finish_is_completed_with_a_stop()
    {
        var events = StreamTranscript.DecodePayloads(new OpenAiStreamDecoder(), """{"id":"c","model":"m","choices":[{"delta":{"content":"Hi"}}]}""");

        Assert.Equal(
            [new MessageStartEvent("c", "m", default), new TextStartEvent(0), new TextDeltaEvent(0, "Hi"), new BlockStopEvent(0), new FinishEvent(FinishReason.Stop)],
            events);
    }

    [Fact]
    public void Error_chunk_becomes_an_error_event()
    {
        var events = new List<StreamEvent>();

        new OpenAiStreamDecoder().Decode(null, """{"error":{"message":"The server had an error.","type":"server_error"}}"""u8, events);

        var error = Assert.IsType<ErrorEvent>(Assert.Single(events)).Error;
        Assert.Equal(
            (ErrorKind.UpstreamError, "upstream_stream_error", "The provider reported an error mid-stream: The server had an error."),
            (error.Kind, error.Code, error.Message));
    }

    [Theory]
    [InlineData("{\"choices\":")]
    [InlineData("data")]
    // Found by the fuzz corpus (openai-stream/*-root.sse, choice-not-object.sse, tool-call-wrong-types.sse,
    // lone-surrogate.sse): these threw InvalidOperationException instead of the upstream error.
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("{\"choices\":[1]}")]
    [InlineData("{\"choices\":[{\"delta\":{\"tool_calls\":[1]}}]}")]
    [InlineData("{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"\\ud800\"}}]}")]
    public void Malformed_chunks_are_upstream_errors(string chunk)
    {
        var ex = Assert.Throws<GatewayException>(() => new OpenAiStreamDecoder().Decode(null, Encoding.UTF8.GetBytes(chunk), []));

        Assert.Equal((ErrorKind.UpstreamError, "upstream_malformed_response"), (ex.Error.Kind, ex.Error.Code));
    }

    internal static List<StreamEvent> DecodeTranscript(int[] sizes) =>
        StreamTranscript.Decode(Fixture.Bytes("openai", "stream_text_parallel_tools_usage.sse"), new OpenAiStreamDecoder(), sizes);
}
