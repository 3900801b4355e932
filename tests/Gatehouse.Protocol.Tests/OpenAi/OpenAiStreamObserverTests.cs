using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Xunit;

namespace Gatehouse.Protocol.Tests.OpenAi;

/// <summary>The observer of forwarded OpenAI streams accounts for what the full decoder's events would.</summary>
public sealed class OpenAiStreamObserverTests
{
    [Fact]
    public void Golden_transcript_gives_the_decoders_output_size_finish_and_usage()
    {
        var bytes = Fixture.Bytes("openai", "stream_text_parallel_tools_usage.sse");
        var observed = StreamAccounting.Of(StreamTranscript.Decode(bytes, new OpenAiStreamObserver(), [int.MaxValue]));

        // "Let me check" + " both cities." + the four argument fragments of the two tool calls.
        Assert.Equal(new StreamAccounting.Accounting(1, 12 + 13 + 12 + 17 + 12 + 16, [FinishReason.ToolCalls], new Usage(93, 46, 1024), []), observed);
        Assert.Equal(StreamAccounting.Of(OpenAiStreamDecoderTests.Expected), observed);
    }

    [Property(MaxTest = 100)]
    public bool Chunk_boundaries_do_not_change_what_is_observed(PositiveInt[] cuts)
    {
        var bytes = Fixture.Bytes("openai", "stream_text_parallel_tools_usage.sse");
        return StreamAccounting.Of(StreamTranscript.Decode(bytes, new OpenAiStreamObserver(), StreamTranscript.Sizes(cuts, 61)))
            == StreamAccounting.Of(OpenAiStreamDecoderTests.Expected);
    }

    [Theory]
    [InlineData("""{"id":"c","model":"m","choices":[{"delta":{"role":"assistant","content":""}}]}""")]
    [InlineData("""{"choices":[{"delta":{"content":"Line\none \"quoted\" \u00e9 \ud83d\ude00 😀 ü"}}]}""")]
    [InlineData("""{"choices":[{"delta":{"reasoning_content":"Think","reasoning":"ignored when reasoning_content has text"}}]}""")]
    [InlineData("""{"choices":[{"delta":{"reasoning_content":"","reasoning":"Used"}}]}""")]
    [InlineData("""{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{\"a\":"}},{"index":1,"function":{"arguments":"1}"}}]}}]}""")]
    [InlineData("""{"choices":[{"delta":{"content":"a"},"finish_reason":"length"},{"delta":{"content":"second choice is not counted"}}]}""")]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"completion_tokens_details":{"reasoning_tokens":2}}}""")]
    [InlineData("""{"choices":[{"delta":null,"finish_reason":null}],"usage":null,"extra":[{"x":[1,2]}]}""")]
    [InlineData("""{"error":{"message":"overloaded","type":"server_error"},"choices":[{"delta":{"content":"not counted"}}]}""")]
    [InlineData("""{"choices":[{"delta":{"tool_calls":{"not":"an array"},"content":["not","a","string"]}}]}""")]
    public void A_chunk_is_accounted_for_as_the_decoder_does(string payload)
    {
        var observed = StreamAccounting.Of(StreamTranscript.DecodePayloads(new OpenAiStreamObserver(), payload));
        var decoded = StreamAccounting.Of(StreamTranscript.DecodePayloads(new OpenAiStreamDecoder(), payload));

        Assert.Equal(decoded, observed);
    }

    [Fact]
    public void Escaped_and_non_ascii_text_counts_utf16_characters()
    {
        var events = StreamTranscript.DecodePayloads(new OpenAiStreamObserver(), """{"choices":[{"delta":{"content":"a\nb\u00e9😀"}}]}""");

        Assert.Equal(new OutputSizeEvent(6), Assert.Single(events.OfType<OutputSizeEvent>()));
    }

    [Fact]
    public void A_long_escaped_delta_is_counted_exactly()
    {
        var text = string.Concat(Enumerable.Repeat("line \"one\"\n", 100));
        var payload = "{\"choices\":[{\"delta\":{\"content\":\"" + System.Text.Json.JsonEncodedText.Encode(text) + "\"}}]}";

        var events = StreamTranscript.DecodePayloads(new OpenAiStreamObserver(), payload);

        Assert.Equal(text.Length, Assert.Single(events.OfType<OutputSizeEvent>()).Chars);
    }

    [Theory]
    [InlineData("""not json""")]
    [InlineData("""[1]""")]
    [InlineData("""{"choices":[1]}""")]
    [InlineData("""{"choices":[{"delta":{"tool_calls":[1]}}]}""")]
    [InlineData("""{"choices":[{"delta":{"content":"cut""")]
    public void A_malformed_chunk_fails_as_in_the_decoder(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        Assert.Equal("upstream_malformed_response", Assert.Throws<GatewayException>(() => new OpenAiStreamDecoder().Decode(null, bytes, [])).Error.Code);
        Assert.Equal("upstream_malformed_response", Assert.Throws<GatewayException>(() => new OpenAiStreamObserver().Decode(null, bytes, [])).Error.Code);
    }

    [Fact]
    public void Done_ends_the_stream_and_an_unfinished_stream_finishes_on_complete()
    {
        var observer = new OpenAiStreamObserver();
        var events = new List<StreamEvent>();

        Assert.True(observer.Decode(null, """{"choices":[{"delta":{"content":"Hi"}}]}"""u8, events));
        Assert.False(observer.Decode(null, "[DONE]"u8, events));
        observer.Complete(events);

        Assert.Equal(new FinishEvent(FinishReason.Stop), events[^1]);
    }
}
