using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Xunit;

namespace Gatehouse.Protocol.Tests.Anthropic;

/// <summary>The observer of forwarded Anthropic streams accounts for what the full decoder's events would.</summary>
public sealed class AnthropicStreamObserverTests
{
    private const string Start = """{"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":5,"output_tokens":1,"cache_read_input_tokens":40}}}""";

    [Fact]
    public void Golden_transcript_gives_the_decoders_output_size_finish_and_usage()
    {
        var bytes = Fixture.Bytes("anthropic", "stream_thinking_text_tool.sse");
        var observed = StreamAccounting.Of(StreamTranscript.Decode(bytes, new AnthropicStreamObserver(), [int.MaxValue]));

        // Two thinking deltas, two text deltas and the tool input's JSON fragments; the signature is not output.
        var chars = 36 + 27 + 22 + 18 + 0 + 19 + 29;
        Assert.Equal(new StreamAccounting.Accounting(1, chars, [FinishReason.ToolCalls], new Usage(472, 89), []), observed);
        Assert.Equal(StreamAccounting.Of(AnthropicStreamDecoderTests.Expected), observed);
    }

    [Property(MaxTest = 100)]
    public bool Chunk_boundaries_do_not_change_what_is_observed(PositiveInt[] cuts)
    {
        var bytes = Fixture.Bytes("anthropic", "stream_thinking_text_tool.sse");
        return StreamAccounting.Of(StreamTranscript.Decode(bytes, new AnthropicStreamObserver(), StreamTranscript.Sizes(cuts, 61)))
            == StreamAccounting.Of(AnthropicStreamDecoderTests.Expected);
    }

    [Theory]
    [InlineData("""{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi \"you\"\n😀"}}""")]
    [InlineData("""{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"not counted at the start"}}""")]
    [InlineData("""{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"f","input":{"a":1}}}""")]
    [InlineData("""{"index":0,"delta":{"text":"type last","type":"text_delta"},"type":"content_block_delta"}""")]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"a\": [1, 2"}}""")]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}""")]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}}""")]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"cited_text":"x"}}}""")]
    [InlineData("""{"type":"content_block_stop","index":0}""")]
    [InlineData("""{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":30}}""")]
    [InlineData("""{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":7,"cache_creation_input_tokens":3,"output_tokens":2}}""")]
    [InlineData("""{"type":"message_delta","usage":"not an object"}""")]
    [InlineData("""{"type":"ping"}""")]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""")]
    [InlineData("""{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}""")]
    [InlineData("""{"type":"error","message":"no error object"}""")]
    [InlineData("""{"type":"brand_new_event","index":"whatever"}""")]
    public void An_event_after_the_start_is_accounted_for_as_the_decoder_does(string payload)
    {
        var observed = StreamAccounting.Of(DecodeAll(new AnthropicStreamObserver(), Start, payload));
        var decoded = StreamAccounting.Of(DecodeAll(new AnthropicStreamDecoder(), Start, payload));

        Assert.Equal(decoded, observed);
    }

    [Fact]
    public void A_mid_stream_error_maps_as_in_the_decoder()
    {
        var payload = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""u8.ToArray();
        var observed = new List<StreamEvent>();
        var decoded = new List<StreamEvent>();

        Assert.False(new AnthropicStreamObserver().Decode("error", payload, observed));
        Assert.False(new AnthropicStreamDecoder().Decode("error", payload, decoded));

        var expected = Assert.IsType<ErrorEvent>(Assert.Single(decoded)).Error;
        var actual = Assert.IsType<ErrorEvent>(Assert.Single(observed)).Error;
        Assert.Equal((expected.Kind, expected.Code, expected.Message), (actual.Kind, actual.Code, actual.Message));
        Assert.Equal("upstream_overloaded", actual.Code);
    }

    [Fact]
    public void Message_stop_ends_the_stream_with_the_finish_of_the_last_message_delta()
    {
        var events = DecodeAll(
            new AnthropicStreamObserver(),
            Start,
            """{"type":"message_delta","delta":{"stop_reason":"refusal"},"usage":{"output_tokens":3}}""",
            """{"type":"message_stop"}""");

        Assert.Equal(new FinishEvent(FinishReason.Refusal), events[^1]);
        Assert.Equal(new UsageEvent(new Usage(5, 3, 40)), events[^2]);
    }

    [Theory]
    [InlineData("""not json""")]
    [InlineData("""[]""")]
    [InlineData("""{"type":"message_start"}""")]
    [InlineData("""{"type":"message_start","message":"text"}""")]
    [InlineData("""{"type":"content_block_start","content_block":{"type":"text","text":""}}""")]
    [InlineData("""{"type":"content_block_start","index":0}""")]
    [InlineData("""{"type":"content_block_start","index":1.5,"content_block":{"type":"text","text":""}}""")]
    [InlineData("""{"type":"content_block_delta","index":0}""")]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":"text"}""")]
    [InlineData("""{"type":"content_block_stop","index":"0"}""")]
    [InlineData("""{"type":"message_delta","delta":[]}""")]
    [InlineData("""{"type":"error","error":"text"}""")]
    public void A_malformed_event_fails_as_in_the_decoder(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        Assert.Equal("upstream_malformed_response", Assert.Throws<GatewayException>(() => new AnthropicStreamDecoder().Decode(null, bytes, [])).Error.Code);
        Assert.Equal("upstream_malformed_response", Assert.Throws<GatewayException>(() => new AnthropicStreamObserver().Decode(null, bytes, [])).Error.Code);
    }

    private static List<StreamEvent> DecodeAll(Streaming.IStreamDecoder decoder, params string[] payloads)
    {
        var events = new List<StreamEvent>();
        foreach (var payload in payloads)
        {
            if (!decoder.Decode(null, Encoding.UTF8.GetBytes(payload), events))
            {
                break;
            }
        }

        decoder.Complete(events);
        return events;
    }
}
