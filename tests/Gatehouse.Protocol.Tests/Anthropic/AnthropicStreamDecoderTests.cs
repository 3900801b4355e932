using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Xunit;

namespace Gatehouse.Protocol.Tests.Anthropic;

public sealed class AnthropicStreamDecoderTests
{
    internal const string Signature = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds7N7Yx7hSvmPmDLeAuotSHFFE6bGb5Kg3bNV5Q5e";

    internal static readonly StreamEvent[] Expected =
    [
        new MessageStartEvent("msg_01Aq9w938a90dw8q", "claude-sonnet-4-5-20250929", new Usage(InputTokens: 472, OutputTokens: 2)),
        new ThinkingStartEvent(0),
        new ThinkingDeltaEvent(0, "The user wants the weather in Paris."),
        new ThinkingDeltaEvent(0, " I should call get_weather."),
        new SignatureDeltaEvent(0, Signature),
        new BlockStopEvent(0),
        new TextStartEvent(1),
        new TextDeltaEvent(1, "I'll check the current"),
        new TextDeltaEvent(1, " weather in Paris."),
        new BlockStopEvent(1),
        new ToolCallStartEvent(2, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather"),
        new ToolArgumentsDeltaEvent(2, string.Empty),
        new ToolArgumentsDeltaEvent(2, "{\"location\": \"Paris"),
        new ToolArgumentsDeltaEvent(2, ", France\", \"unit\": \"celsius\"}"),
        new BlockStopEvent(2),
        new UsageEvent(new Usage(InputTokens: 472, OutputTokens: 89)),
        new FinishEvent(FinishReason.ToolCalls),
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
    public void Redacted_thinking_and_a_stop_sequence_are_carried()
    {
        var events = StreamTranscript.DecodePayloads(
            new AnthropicStreamDecoder(),
            """{"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":5,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"ZW5j"}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":"Hello"}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"</answer>"},"usage":{"output_tokens":7,"cache_read_input_tokens":3}}""");

        Assert.Equal(
            [
                new MessageStartEvent("msg_1", "claude", new Usage(5, 1)),
                new ThinkingStartEvent(0, "ZW5j"),
                new BlockStopEvent(0),
                new TextStartEvent(1),
                new TextDeltaEvent(1, "Hello"),
                new BlockStopEvent(1),
                new UsageEvent(new Usage(InputTokens: 5, OutputTokens: 7, CachedInputTokens: 3)),
                new FinishEvent(FinishReason.Stop, "</answer>"),
            ],
            events);
    }

    [Theory]
    [InlineData("overloaded_error", ErrorKind.UpstreamUnavailable, "upstream_overloaded", 503, "The provider is overloaded: Overloaded")]
    [InlineData("rate_limit_error", ErrorKind.UpstreamError, "upstream_rate_limited", 429, "The provider rate-limited the request: Overloaded")]
    [InlineData("api_error", ErrorKind.UpstreamError, "upstream_stream_error", 502, "The provider reported an error mid-stream (api_error): Overloaded")]
    public void Error_event_ends_the_stream(string type, ErrorKind kind, string code, int status, string message)
    {
        var events = new List<StreamEvent>();

        var more = new AnthropicStreamDecoder().Decode("error", Encoding.UTF8.GetBytes($$$"""{"type":"error","error":{"type":"{{{type}}}","message":"Overloaded"}}"""), events);

        Assert.False(more);
        var error = Assert.IsType<ErrorEvent>(Assert.Single(events)).Error;
        Assert.Equal((kind, code, status, message), (error.Kind, error.Code, error.HttpStatus, error.Message));
    }

    [Theory]
    [InlineData("{\"type\":\"content_block_start\"}")]
    [InlineData("{\"type\":\"message_start\"}")]
    [InlineData("{\"type\":\"content_block_delta\",\"index\":\"0\",\"delta\":{}}")]
    [InlineData("{\"type\":")]
    // Found by the fuzz corpus (anthropic-stream/index-*.sse): an index out of int range threw FormatException.
    [InlineData("{\"type\":\"content_block_start\",\"index\":1e99,\"content_block\":{\"type\":\"text\"}}")]
    [InlineData("{\"type\":\"content_block_stop\",\"index\":1.5}")]
    [InlineData("{\"type\":\"content_block_delta\",\"index\":4294967296,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}")]
    public void Malformed_events_are_upstream_errors(string data)
    {
        var ex = Assert.Throws<GatewayException>(() => new AnthropicStreamDecoder().Decode(null, Encoding.UTF8.GetBytes(data), []));

        Assert.Equal((ErrorKind.UpstreamError, "upstream_malformed_response"), (ex.Error.Kind, ex.Error.Code));
    }

    internal static List<StreamEvent> DecodeTranscript(int[] sizes) =>
        StreamTranscript.Decode(Fixture.Bytes("anthropic", "stream_thinking_text_tool.sse"), new AnthropicStreamDecoder(), sizes);
}
