using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Gemini;
using Xunit;

namespace Gatehouse.Protocol.Tests.Gemini;

public sealed class GeminiStreamDecoderTests
{
    private const string Generated = "<generated>";

    private static readonly Usage PromptOnly = new(52, 0);

    private static readonly StreamEvent[] Expected =
    [
        new MessageStartEvent("mNQ9aPXkKZ2Vz7IPxLOfkAg", "gemini-2.5-flash", default),
        new ThinkingStartEvent(0),
        new ThinkingDeltaEvent(0, "**Checking the forecast**\n\nThe user asks about Paris."),
        new UsageEvent(PromptOnly),
        new ThinkingDeltaEvent(0, " I should call get_weather."),
        new SignatureDeltaEvent(0, "Eo4CCosCAdHtim9x+Yq3/Zr0Lw=="),
        new UsageEvent(PromptOnly),
        new BlockStopEvent(0),
        new TextStartEvent(1),
        new TextDeltaEvent(1, "Let me look that up"),
        new UsageEvent(PromptOnly),
        new TextDeltaEvent(1, " for you."),
        new UsageEvent(PromptOnly),
        new BlockStopEvent(1),
        new ToolCallStartEvent(2, Generated, "get_weather", "CiQB0e2Kb3Z+q/8sJ7Xw2vLhYd9pQm1nRt4uVa6bEc0fGk5sJx=="),
        new ToolArgumentsDeltaEvent(2, """{"city":"Paris","unit":"celsius"}"""),
        new BlockStopEvent(2),
        new FinishEvent(FinishReason.ToolCalls),
        new UsageEvent(new Usage(InputTokens: 52, OutputTokens: 151, ReasoningTokens: 124)),
    ];

    [Fact]
    public void Transcript_decodes_to_the_expected_events()
    {
        Assert.Equal(Expected, DecodeTranscript([int.MaxValue]));
    }

    [Property(MaxTest = 200)]
    public bool Chunk_boundaries_do_not_change_events(PositiveInt[] cuts)
    {
        var sizes = cuts.Length == 0 ? [int.MaxValue] : Array.ConvertAll(cuts, c => c.Get % 97 + 1);
        return Expected.SequenceEqual(DecodeTranscript(sizes));
    }

    [Fact]
    public void Text_with_a_signature_gets_its_own_signed_thinking_block()
    {
        var events = StreamTranscript.DecodePayloads(
            new GeminiStreamDecoder(),
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"Hello"}]}}],"responseId":"r","modelVersion":"m"}""",
            """{"candidates":[{"content":{"role":"model","parts":[{"text":" there","thoughtSignature":"c2ln"}]}}]}""",
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"","thoughtSignature":"dGFpbA=="}]},"finishReason":"STOP"}]}""");

        Assert.Equal(
            [
                new MessageStartEvent("r", "m", default),
                new TextStartEvent(0),
                new TextDeltaEvent(0, "Hello"),
                new BlockStopEvent(0),
                new ThinkingStartEvent(1),
                new SignatureDeltaEvent(1, "c2ln"),
                new BlockStopEvent(1),
                new TextStartEvent(2),
                new TextDeltaEvent(2, " there"),
                new BlockStopEvent(2),
                new ThinkingStartEvent(3),
                new SignatureDeltaEvent(3, "dGFpbA=="),
                new BlockStopEvent(3),
                new FinishEvent(FinishReason.Stop),
            ],
            events);
    }

    [Fact]
    public void Reasoning_after_a_signed_thought_starts_a_new_block()
    {
        var events = StreamTranscript.DecodePayloads(
            new GeminiStreamDecoder(),
            """{"candidates":[{"content":{"parts":[{"text":"a","thought":true,"thoughtSignature":"s1"}]}}],"responseId":"r"}""",
            """{"candidates":[{"content":{"parts":[{"text":"b","thought":true}]}}]}""");

        Assert.Equal(
            [
                new MessageStartEvent("r", string.Empty, default),
                new ThinkingStartEvent(0),
                new ThinkingDeltaEvent(0, "a"),
                new SignatureDeltaEvent(0, "s1"),
                new BlockStopEvent(0),
                new ThinkingStartEvent(1),
                new ThinkingDeltaEvent(1, "b"),
                new BlockStopEvent(1),
                new FinishEvent(FinishReason.Stop),
            ],
            events);
    }

    [Fact]
    public void Parallel_function_calls_are_separate_blocks_and_keep_gemini_ids()
    {
        var events = StreamTranscript.DecodePayloads(
            new GeminiStreamDecoder(),
            """{"candidates":[{"content":{"parts":[{"functionCall":{"id":"a","name":"f","args":{"x":1}}},{"functionCall":{"id":"b","name":"g"}}]},"finishReason":"STOP"}],"responseId":"r"}""");

        Assert.Equal(
            [
                new MessageStartEvent("r", string.Empty, default),
                new ToolCallStartEvent(0, "a", "f"),
                new ToolArgumentsDeltaEvent(0, """{"x":1}"""),
                new BlockStopEvent(0),
                new ToolCallStartEvent(1, "b", "g"),
                new ToolArgumentsDeltaEvent(1, "{}"),
                new BlockStopEvent(1),
                new FinishEvent(FinishReason.ToolCalls),
            ],
            events);
    }

    [Fact]
    public void Stream_cut_before_finish_is_completed_with_a_stop()
    {
        var events = StreamTranscript.DecodePayloads(new GeminiStreamDecoder(), """{"candidates":[{"content":{"parts":[{"text":"partial"}]}}],"responseId":"r"}""");

        Assert.Equal(
            [
                new MessageStartEvent("r", string.Empty, default),
                new TextStartEvent(0),
                new TextDeltaEvent(0, "partial"),
                new BlockStopEvent(0),
                new FinishEvent(FinishReason.Stop),
            ],
            events);
    }

    [Fact]
    public void Blocked_prompt_ends_the_stream_with_an_error()
    {
        var decoder = new GeminiStreamDecoder();
        var events = new List<StreamEvent>();

        var more = decoder.Decode(null, """{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"responseId":"r"}"""u8, events);

        Assert.False(more);
        var error = Assert.IsType<ErrorEvent>(events[^1]).Error;
        Assert.Equal(("content_blocked", 400), (error.Code, error.HttpStatus));
    }

    [Theory]
    [InlineData("RESOURCE_EXHAUSTED", ErrorKind.UpstreamError, "upstream_rate_limited", 429)]
    [InlineData("UNAVAILABLE", ErrorKind.UpstreamUnavailable, "upstream_overloaded", 503)]
    [InlineData("INTERNAL", ErrorKind.UpstreamError, "upstream_stream_error", 502)]
    public void Error_chunk_ends_the_stream(string status, ErrorKind kind, string code, int httpStatus)
    {
        var decoder = new GeminiStreamDecoder();
        var events = new List<StreamEvent>();
        decoder.Decode(null, """{"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]}"""u8, events);

        var more = decoder.Decode(null, Encoding.UTF8.GetBytes($$$"""{"error":{"code":500,"message":"boom","status":"{{{status}}}"}}"""), events);

        Assert.False(more);
        Assert.Equal(new BlockStopEvent(0), events[^2]);
        var error = Assert.IsType<ErrorEvent>(events[^1]).Error;
        Assert.Equal((kind, code, httpStatus), (error.Kind, error.Code, error.HttpStatus));
    }

    [Theory]
    [InlineData("{\"candidates\":")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("""{"candidates":[{"content":{"parts":["x"]}}]}""")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"functionCall":{}}]}}]}""")]
    public void Malformed_chunks_are_upstream_errors(string chunk)
    {
        var ex = Assert.Throws<GatewayException>(() => new GeminiStreamDecoder().Decode(null, Encoding.UTF8.GetBytes(chunk), []));

        Assert.Equal(ErrorKind.UpstreamError, ex.Error.Kind);
        Assert.Equal("upstream_malformed_response", ex.Error.Code);
    }

    /// <summary>Feeds the SSE transcript through the parser in the given chunk sizes; generated ids are normalised.</summary>
    private static List<StreamEvent> DecodeTranscript(int[] sizes) =>
        StreamTranscript.Decode(GeminiFixture.Bytes("stream_thoughts_text_tool.sse"), new GeminiStreamDecoder(), sizes)
            .ConvertAll(e => e is ToolCallStartEvent { Id: var id } tool && id.StartsWith("call_", StringComparison.Ordinal) && id.Length == 29
                ? tool with { Id = Generated }
                : e);
}
