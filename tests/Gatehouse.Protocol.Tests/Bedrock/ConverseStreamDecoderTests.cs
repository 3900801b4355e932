using System.Text;
using System.Text.Json;
using Amazon.Runtime.EventStreams;
using FsCheck;
using FsCheck.Xunit;
using Gatehouse.Core;
using Gatehouse.Protocol.Bedrock;
using Gatehouse.Protocol.Bedrock.EventStream;
using Gatehouse.Protocol.Canonical;
using Xunit;
using AwsHeader = Amazon.Runtime.EventStreams.EventStreamHeader;
using AwsMessage = Amazon.Runtime.EventStreams.EventStreamMessage;

namespace Gatehouse.Protocol.Tests.Bedrock;

public sealed class ConverseStreamDecoderTests
{
    [Fact]
    public void Decodes_a_recorded_converse_stream_encoded_by_the_aws_sdk()
    {
        var (events, ended) = DecodeFixture("converse-stream.json", chunk: 13);

        Assert.True(ended);
        Assert.Equal(
        [
            "start bedrock-id ''",
            "thinking-start 0",
            "thinking 0 The user asks about Paris.",
            "thinking 0  I should call the tool.",
            "signature 0 ErcBCkgIBRABGAIiQG9zUkvT2Y0HNlJ",
            "stop 0",
            "text-start 1",
            "text 1 Let me check",
            "text 1  the weather.",
            "stop 1",
            "tool-start 2 tooluse_kZJMlvQmRJ6eAyJE5GIl7Q get_weather",
            "args 2 {\"city\": ",
            "args 2 \"Paris\"}",
            "stop 2",
            "finish ToolCalls",
            "usage in=412 out=96 cached=800 written=0",
        ],
        events);
    }

    [Fact]
    public void An_exception_frame_becomes_an_error_event_and_ends_the_stream()
    {
        var (events, ended) = DecodeFixture("converse-stream-throttled.json", chunk: 5);

        Assert.True(ended);
        Assert.Equal(
        [
            "start bedrock-id ''",
            "text-start 0",
            "text 0 Hel",
            "error UpstreamError 429 upstream_rate_limited: Bedrock is throttling requests: Too many requests, please wait before trying again. Retry later.",
        ],
        events);
    }

    [Theory]
    [InlineData("throttlingException", """{"message":"Too many tokens"}""", "UpstreamError 429 upstream_rate_limited retryable")]
    [InlineData("serviceUnavailableException", """{"message":"Service unavailable"}""", "UpstreamUnavailable 503 upstream_overloaded retryable")]
    [InlineData("modelNotReadyException", """{"message":"Model is loading"}""", "UpstreamUnavailable 503 upstream_overloaded retryable")]
    [InlineData("validationException", """{"message":"Malformed input request"}""", "UpstreamError 400 upstream_invalid_request final")]
    [InlineData("modelTimeoutException", """{"message":"Model timed out"}""", "UpstreamTimeout 504 upstream_timeout retryable")]
    [InlineData("modelStreamErrorException", """{"message":"Model error","originalStatusCode":429,"originalMessage":"Too many requests"}""", "UpstreamError 429 upstream_rate_limited retryable")]
    [InlineData("modelStreamErrorException", """{"message":"Model error","originalStatusCode":400}""", "UpstreamError 400 upstream_stream_error final")]
    [InlineData("internalServerException", "", "UpstreamError 502 upstream_stream_error retryable")]
    [InlineData("somethingNewException", "not json", "UpstreamError 502 upstream_stream_error retryable")]
    public void Maps_exception_types(string exceptionType, string payload, string expected)
    {
        var output = new List<StreamEvent>();

        var more = new ConverseStreamDecoder().Decode(ConverseStreamDecoder.ExceptionEventPrefix + exceptionType, Encoding.UTF8.GetBytes(payload), output);

        Assert.False(more);
        var error = Assert.IsType<ErrorEvent>(Assert.Single(output)).Error;
        Assert.Equal(expected, $"{error.Kind} {error.HttpStatus} {error.Code} {(error.IsRetryable ? "retryable" : "final")}");
    }

    [Fact]
    public void Exception_messages_name_the_type_and_carry_the_provider_text()
    {
        var output = new List<StreamEvent>();

        new ConverseStreamDecoder().Decode(":exception:somethingNewException", """{"message":"Something new broke."}"""u8, output);

        Assert.Equal("Bedrock reported an error mid-stream (somethingNewException): Something new broke.", ((ErrorEvent)output[0]).Error.Message);
    }

    [Fact]
    public void Event_type_follows_the_exception_convention()
    {
        var message = AwsFrame(new Dictionary<string, string> { [":message-type"] = "event", [":event-type"] = "metadata" }, "{}");
        var exception = AwsFrame(new Dictionary<string, string> { [":message-type"] = "exception", [":exception-type"] = "validationException" }, "{}");
        var error = AwsFrame(new Dictionary<string, string> { [":message-type"] = "error", [":error-code"] = "InternalFailure" }, string.Empty);
        using var parser = new EventStreamParser();
        parser.Append([.. message, .. exception, .. error]);

        var types = new List<string?>();
        while (parser.TryRead(out var frame))
        {
            types.Add(ConverseStreamDecoder.EventTypeOf(frame));
        }

        Assert.Equal(["metadata", ":exception:validationException", ":exception:InternalFailure"], types);
    }

    [Fact]
    public void Redacted_reasoning_and_unterminated_blocks_are_closed_in_order()
    {
        var decoder = new ConverseStreamDecoder();
        var output = new List<StreamEvent>();

        Decode(decoder, output, "contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"redactedContent":"RW5jcnlwdGVk"}}}""");
        Decode(decoder, output, "contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":"Hi"}}""");
        Decode(decoder, output, "contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{}"}}}""");
        Decode(decoder, output, "contentBlockStop", """{"contentBlockIndex":0}""");
        Decode(decoder, output, "contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"late"}}""");
        Decode(decoder, output, "futureEvent", """{"anything":true}""");
        decoder.Complete(output);

        Assert.Equal(
            ["start bedrock-id ''", "thinking-start 0 redacted RW5jcnlwdGVk", "stop 0", "text-start 1", "text 1 Hi", "stop 1"],
            output.Select(BedrockFixtures.Describe));
    }

    [Fact]
    public void Tool_deltas_without_a_start_open_a_tool_block()
    {
        var decoder = new ConverseStreamDecoder();
        var output = new List<StreamEvent>();

        Decode(decoder, output, "messageStart", """{"role":"assistant"}""");
        Decode(decoder, output, "contentBlockDelta", """{"contentBlockIndex":3,"delta":{"toolUse":{"input":"{\"a\":1}"}}}""");
        Decode(decoder, output, "messageStop", """{"stopReason":"stop_sequence","additionalModelResponseFields":{"stop_sequence":"###"}}""");
        var more = decoder.Decode("metadata", """{"usage":{"inputTokens":1,"outputTokens":2}}"""u8, output);

        Assert.False(more);
        var start = Assert.IsType<ToolCallStartEvent>(output[1]);
        Assert.StartsWith("tooluse_", start.Id, StringComparison.Ordinal);
        Assert.Equal(
            ["args 0 {\"a\":1}", "stop 0", "finish Stop ###", "usage in=1 out=2 cached=0 written=0"],
            output.Skip(2).Select(BedrockFixtures.Describe));
    }

    [Fact]
    public void Structured_output_tool_streams_as_answer_text()
    {
        var decoder = new ConverseStreamDecoder();
        var output = new List<StreamEvent>();

        Decode(decoder, output, "messageStart", """{"role":"assistant"}""");
        Decode(decoder, output, "contentBlockStart", """{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"tooluse_1","name":"gatehouse_json_response"}}}""");
        Decode(decoder, output, "contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"city\":"}}}""");
        Decode(decoder, output, "contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"\"Paris\"}"}}}""");
        Decode(decoder, output, "contentBlockStop", """{"contentBlockIndex":0}""");
        Decode(decoder, output, "messageStop", """{"stopReason":"tool_use"}""");

        Assert.Equal(
            ["start bedrock-id ''", "text-start 0", "text 0 {\"city\":", "text 0 \"Paris\"}", "stop 0", "finish Stop"],
            output.Select(BedrockFixtures.Describe));
    }

    [Fact]
    public void Metadata_before_message_stop_does_not_end_the_stream()
    {
        var output = new List<StreamEvent>();

        Assert.True(new ConverseStreamDecoder().Decode("metadata", """{"usage":{"inputTokens":1,"outputTokens":2}}"""u8, output));
    }

    [Theory]
    [InlineData("contentBlockDelta", "{")]
    [InlineData("contentBlockDelta", """{"delta":{"text":"x"}}""")]
    [InlineData("contentBlockDelta", """{"contentBlockIndex":"0","delta":{"text":"x"}}""")]
    [InlineData("contentBlockDelta", """{"contentBlockIndex":-1,"delta":{"text":"x"}}""")]
    [InlineData("contentBlockDelta", """{"contentBlockIndex":1.5,"delta":{"text":"x"}}""")]
    [InlineData("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":5}}""")]
    [InlineData("contentBlockDelta", """{"contentBlockIndex":0,"delta":"text"}""")]
    [InlineData("contentBlockStart", """{"contentBlockIndex":0}""")]
    [InlineData("messageStop", "[1,2]")]
    public void Malformed_events_become_upstream_errors(string eventType, string payload)
    {
        var error = Assert.Throws<GatewayException>(() => new ConverseStreamDecoder().Decode(eventType, Encoding.UTF8.GetBytes(payload), [])).Error;

        Assert.Equal((ErrorKind.UpstreamError, "upstream_malformed_response"), (error.Kind, error.Code));
    }

    [Property(MaxTest = 300)]
    public bool Arbitrary_payloads_fail_only_with_upstream_errors(NonNull<string> eventType, byte[] payload)
    {
        var decoder = new ConverseStreamDecoder();
        var output = new List<StreamEvent>();
        try
        {
            decoder.Decode(eventType.Get, payload, output);
            decoder.Decode("contentBlockDelta", payload, output);
            decoder.Complete(output);
            return true;
        }
        catch (GatewayException ex)
        {
            return ex.Error.Kind == ErrorKind.UpstreamError;
        }
    }

    /// <summary>Encodes a fixture's frames with the AWS SDK, parses them in chunks and decodes them as the pipeline will.</summary>
    private static (List<string> Events, bool Ended) DecodeFixture(string fixture, int chunk)
    {
        using var document = JsonDocument.Parse(BedrockFixtures.Read(fixture));
        var bytes = new List<byte>();
        foreach (var frame in document.RootElement.EnumerateArray())
        {
            var headers = frame.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            bytes.AddRange(AwsFrame(headers, frame.GetProperty("payload").GetRawText()));
        }

        var all = bytes.ToArray();
        var decoder = new ConverseStreamDecoder();
        var output = new List<StreamEvent>();
        using var parser = new EventStreamParser();
        for (var offset = 0; offset < all.Length; offset += chunk)
        {
            parser.Append(all.AsSpan(offset, Math.Min(chunk, all.Length - offset)));
            while (parser.TryRead(out var message))
            {
                if (!decoder.Decode(ConverseStreamDecoder.EventTypeOf(message), message.Payload.Span, output))
                {
                    return (output.Select(BedrockFixtures.Describe).ToList(), true);
                }
            }
        }

        decoder.Complete(output);
        return (output.Select(BedrockFixtures.Describe).ToList(), false);
    }

    private static byte[] AwsFrame(Dictionary<string, string> headers, string payload)
    {
        var list = new List<IEventStreamHeader>();
        foreach (var (name, value) in headers)
        {
            var header = new AwsHeader(name);
            header.SetString(value);
            list.Add(header);
        }

        return new AwsMessage(list, Encoding.UTF8.GetBytes(payload)).ToByteArray();
    }

    private static void Decode(ConverseStreamDecoder decoder, List<StreamEvent> output, string eventType, string payload) =>
        Assert.True(decoder.Decode(eventType, Encoding.UTF8.GetBytes(payload), output));
}
