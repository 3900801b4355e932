using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Amazon.Runtime.EventStreams;
using Gatehouse.Protocol.Bedrock.EventStream;
using Xunit;
using AwsHeader = Amazon.Runtime.EventStreams.EventStreamHeader;
using AwsMessage = Amazon.Runtime.EventStreams.EventStreamMessage;
using EventStreamHeader = Gatehouse.Protocol.Bedrock.EventStream.EventStreamHeader;
using EventStreamHeaderType = Gatehouse.Protocol.Bedrock.EventStream.EventStreamHeaderType;
using EventStreamMessage = Gatehouse.Protocol.Bedrock.EventStream.EventStreamMessage;

namespace Gatehouse.Protocol.Tests.Bedrock;

public sealed class EventStreamCodecTests
{
    private static readonly Guid SampleUuid = Guid.Parse("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
    private static readonly DateTimeOffset SampleTime = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    [Fact]
    public void Crc32_matches_the_iso_hdlc_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Empty_message_is_sixteen_bytes_with_known_checksums()
    {
        var bytes = Encode([], []);

        // total 16, headers 0, prelude CRC, message CRC: the AWS event-stream spec's "empty message" vector.
        Assert.Equal(Convert.FromHexString("000000100000000005C248EB7D98C8FF"), bytes);
    }

    [Fact]
    public void Round_trip_keeps_every_header_type_and_the_payload()
    {
        var bytes = Encode(AllHeaderTypes(), "{\"hello\":\"world\"}"u8.ToArray());
        var message = ParseSingle(bytes);

        AssertAllHeaderTypes(message.Headers);
        Assert.Equal("{\"hello\":\"world\"}", Encoding.UTF8.GetString(message.Payload.Span));
    }

    [Fact]
    public void Convenience_properties_read_the_standard_headers()
    {
        using var output = new Gatehouse.Protocol.Json.PooledBufferWriter();
        EventStreamWriter.WriteEvent(output, "contentBlockDelta", "{}"u8);
        EventStreamWriter.WriteException(output, "throttlingException", "{\"message\":\"slow down\"}"u8);
        EventStreamWriter.Write(output, [EventStreamHeader.String(":message-type", "error"), EventStreamHeader.String(":error-code", "InternalFailure"), EventStreamHeader.String(":error-message", "boom")], []);

        var messages = ParseAll(output.WrittenSpan.ToArray(), [int.MaxValue]);

        Assert.Equal(("event", "contentBlockDelta", (string?)null, "application/json"), (messages[0].MessageType, messages[0].EventType, messages[0].ExceptionType, messages[0].ContentType));
        Assert.Equal(("exception", (string?)null, "throttlingException", "{\"message\":\"slow down\"}"), (messages[1].MessageType, messages[1].EventType, messages[1].ExceptionType, messages[1].PayloadText));
        Assert.Equal(("error", "InternalFailure", "boom"), (messages[2].MessageType, messages[2].ErrorCode, messages[2].ErrorMessage));
    }

    [Fact]
    public void Decodes_a_message_encoded_by_the_aws_sdk()
    {
        var headers = new List<IEventStreamHeader>();
        void Add(string name, Action<AwsHeader> set)
        {
            var header = new AwsHeader(name);
            set(header);
            headers.Add(header);
        }

        Add("yes", h => h.SetBool(true));
        Add("no", h => h.SetBool(false));
        Add("byte", h => h.SetSByte(-7));
        Add("short", h => h.SetInt16(-1234));
        Add("int", h => h.SetInt32(123_456_789));
        Add("long", h => h.SetInt64(-9_876_543_210_123));
        Add("bytes", h => h.SetByteBuf([1, 2, 3, 255]));
        Add(":event-type", h => h.SetString("messageStart"));
        Add("when", h => h.SetTimestamp(SampleTime.UtcDateTime));
        var bytes = new AwsMessage(headers, "{\"role\":\"assistant\"}"u8.ToArray()).ToByteArray();

        var message = ParseSingle(bytes);

        Assert.Equal(
            ["yes=True", "no=False", "byte=-7", "short=-1234", "int=123456789", "long=-9876543210123", "bytes=<4 bytes>", ":event-type=messageStart", "when=2023-11-14T22:13:20.1230000+00:00"],
            message.Headers.Select(h => h.ToString()));
        Assert.Equal([1, 2, 3, 255], message.Headers[6].AsBytes().ToArray());
        Assert.Equal("messageStart", message.EventType);
        Assert.Equal("{\"role\":\"assistant\"}", message.PayloadText);
    }

    [Fact]
    public void The_aws_sdk_decodes_a_message_we_encode()
    {
        var bytes = Encode(AllHeaderTypes(), "payload"u8.ToArray());

        var message = AwsMessage.FromBuffer(bytes, 0, bytes.Length);

        Assert.True(message.Headers["yes"].AsBool());
        Assert.False(message.Headers["no"].AsBool());
        Assert.Equal(-7, message.Headers["byte"].AsSByte());
        Assert.Equal(-1234, message.Headers["short"].AsInt16());
        Assert.Equal(123_456_789, message.Headers["int"].AsInt32());
        Assert.Equal(-9_876_543_210_123, message.Headers["long"].AsInt64());
        Assert.Equal([1, 2, 3, 255], message.Headers["bytes"].AsByteBuf());
        Assert.Equal("héllo ✓", message.Headers["text"].AsString());
        Assert.Equal(SampleTime.UtcDateTime, message.Headers["when"].AsTimestamp().ToUniversalTime());
        Assert.Equal(EventStreamHeaderType.Uuid, (EventStreamHeaderType)(byte)message.Headers["id"].HeaderType);
        Assert.Equal("payload", Encoding.UTF8.GetString(message.Payload));
    }

    [Fact]
    public void Uuid_headers_use_network_byte_order()
    {
        var bytes = Encode([EventStreamHeader.Uuid("id", SampleUuid)], []);

        // 12-byte prelude, name length 2, "id", type 9, then the UUID as written in its text form.
        Assert.Equal(Convert.FromHexString("0A1B2C3D4E5F60718293A4B5C6D7E8F9"), bytes.AsSpan(12 + 1 + 2 + 1, 16).ToArray());
        Assert.Equal(SampleUuid, ParseSingle(bytes).Headers[0].AsUuid());
    }

    [Fact]
    public void Uuid_bytes_written_by_the_aws_sdk_round_trip_unchanged()
    {
        // The .NET SDK writes Guid.ToByteArray() (mixed-endian) where the format and the other SDKs use network
        // order, so the Guid values differ between the two readings; the 16 bytes themselves must survive unchanged.
        var header = new AwsHeader("id");
        header.SetUUID(SampleUuid);
        var sdkBytes = new AwsMessage([header], []).ToByteArray();

        var parsed = ParseSingle(sdkBytes).Headers[0];
        var reencoded = Encode([parsed], []);

        Assert.Equal(sdkBytes, reencoded);
        Assert.Equal(Convert.ToHexString(SampleUuid.ToByteArray()), parsed.AsUuid().ToString("N").ToUpperInvariant());
    }

    [Fact]
    public void Corrupted_payload_fails_the_message_checksum()
    {
        var bytes = Encode([EventStreamHeader.String(":event-type", "x")], "{\"a\":1}"u8.ToArray());
        bytes[^6] ^= 0x01;

        var error = Assert.Throws<InvalidDataException>(() => ParseSingle(bytes));
        Assert.Equal("An event-stream message failed its checksum.", error.Message);
    }

    [Fact]
    public void Corrupted_prelude_is_rejected_before_its_lengths_are_trusted()
    {
        var bytes = Encode([], "{}"u8.ToArray());
        bytes[3] ^= 0x40;

        using var parser = new EventStreamParser();
        var error = Assert.Throws<InvalidDataException>(() => parser.Append(bytes));
        Assert.Equal("An event-stream message prelude failed its checksum.", error.Message);
    }

    [Fact]
    public void Parser_stays_faulted_after_malformed_input()
    {
        var bytes = Encode([], "{}"u8.ToArray());
        bytes[^1] ^= 0x01;
        using var parser = new EventStreamParser();
        parser.Append(bytes);
        Assert.Throws<InvalidDataException>(() => parser.TryRead(out _));

        var again = Assert.Throws<InvalidDataException>(() => parser.Append(Encode([], [])));
        Assert.Equal("The event stream was already found malformed.", again.Message);
    }

    [Fact]
    public void Truncated_message_waits_for_more_bytes_and_fails_at_end_of_stream()
    {
        var bytes = Encode([EventStreamHeader.String(":event-type", "messageStop")], "{\"stopReason\":\"end_turn\"}"u8.ToArray());
        using var parser = new EventStreamParser();
        parser.Append(bytes.AsSpan(0, bytes.Length - 3));

        Assert.False(parser.TryRead(out _));
        Assert.True(parser.HasPartialMessage);
        var error = Assert.Throws<InvalidDataException>(parser.Complete);
        Assert.Equal($"The event stream ended inside a message ({bytes.Length - 3} bytes of it received).", error.Message);
    }

    [Fact]
    public async Task Reader_reports_a_stream_cut_inside_a_message()
    {
        var whole = Encode([EventStreamHeader.String(":event-type", "messageStart")], "{}"u8.ToArray());
        var bytes = whole.Concat(whole.AsSpan(0, 20).ToArray()).ToArray();
        using var reader = new EventStreamReader(new MemoryStream(bytes));

        var first = await reader.ReadAsync(CancellationToken.None);

        Assert.Equal("messageStart", first!.Value.EventType);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reader_returns_null_at_a_clean_end()
    {
        using var reader = new EventStreamReader(new MemoryStream(Encode([], "{}"u8.ToArray())));

        Assert.NotNull(await reader.ReadAsync(CancellationToken.None));
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void Message_longer_than_the_cap_is_rejected_from_its_prelude()
    {
        var bytes = Encode([], new byte[100]);
        using var parser = new EventStreamParser(maxMessageLength: 64);

        var error = Assert.Throws<InvalidDataException>(() => parser.Append(bytes.AsSpan(0, 12)));
        Assert.Equal("An event-stream message declares 116 bytes, more than the limit of 64.", error.Message);
    }

    [Fact]
    public void Default_cap_is_sixteen_mebibytes()
    {
        var prelude = Prelude(totalLength: 16 * 1024 * 1024 + 1, headersLength: 0);
        using var parser = new EventStreamParser();

        var error = Assert.Throws<InvalidDataException>(() => parser.Append(prelude));
        Assert.Equal("An event-stream message declares 16777217 bytes, more than the limit of 16777216.", error.Message);
        Assert.Throws<ArgumentException>(() => EventStreamWriter.Write(new ArrayBufferWriter<byte>(), [], new byte[16 * 1024 * 1024]));
    }

    [Theory]
    [InlineData(15, 0)]
    [InlineData(20, 5)]
    [InlineData(100, 0xFFFFFFF0)]
    public void Impossible_lengths_are_rejected(uint totalLength, uint headersLength)
    {
        using var parser = new EventStreamParser();

        var error = Assert.Throws<InvalidDataException>(() => parser.Append(Prelude(totalLength, headersLength)));
        Assert.StartsWith("An event-stream message declares impossible lengths", error.Message);
    }

    [Theory]
    [InlineData("036E616D0A", "An event-stream header has unknown value type 10.")]
    [InlineData("036E616D04000001", "An event-stream header value runs past the headers.")]
    [InlineData("036E616D070010616263", "An event-stream header value runs past the headers.")]
    [InlineData("00", "An event-stream header name is empty or runs past the headers.")]
    [InlineData("056E616D", "An event-stream header name is empty or runs past the headers.")]
    [InlineData("036E616D070002C328", "An event-stream header is not valid UTF-8.")]
    [InlineData("036E616D087FFFFFFFFFFFFFFF", "An event-stream timestamp header is out of range.")]
    public void Malformed_headers_are_rejected(string headersHex, string expected)
    {
        var bytes = RawMessage(Convert.FromHexString(headersHex), []);
        using var parser = new EventStreamParser();
        parser.Append(bytes);

        var error = Assert.Throws<InvalidDataException>(() => parser.TryRead(out _));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Header_accessors_refuse_the_wrong_type()
    {
        var header = EventStreamHeader.Integer("n", 5);

        Assert.Equal(5, header.AsInt64());
        var error = Assert.Throws<InvalidOperationException>(() => header.AsString());
        Assert.Equal("Event-stream header 'n' is of type Integer, not string.", error.Message);
    }

    [Fact]
    public void Writer_refuses_names_and_values_that_do_not_fit_the_format()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => EventStreamWriter.Write(output, [EventStreamHeader.Bool(new string('n', 256), true)], []));
        Assert.Throws<ArgumentException>(() => EventStreamWriter.Write(output, [EventStreamHeader.String("s", new string('v', 65536))], []));
        Assert.Equal(0, output.WrittenCount);
    }

    internal static EventStreamHeader[] AllHeaderTypes() =>
    [
        EventStreamHeader.Bool("yes", true),
        EventStreamHeader.Bool("no", false),
        EventStreamHeader.Byte("byte", -7),
        EventStreamHeader.Short("short", -1234),
        EventStreamHeader.Integer("int", 123_456_789),
        EventStreamHeader.Long("long", -9_876_543_210_123),
        EventStreamHeader.ByteArray("bytes", [1, 2, 3, 255]),
        EventStreamHeader.String("text", "héllo ✓"),
        EventStreamHeader.Timestamp("when", SampleTime),
        EventStreamHeader.Uuid("id", SampleUuid),
    ];

    private static void AssertAllHeaderTypes(IReadOnlyList<EventStreamHeader> headers)
    {
        Assert.Equal(
            ["yes=True", "no=False", "byte=-7", "short=-1234", "int=123456789", "long=-9876543210123", "bytes=<4 bytes>", "text=héllo ✓", "when=2023-11-14T22:13:20.1230000+00:00", $"id={SampleUuid}"],
            headers.Select(h => h.ToString()));
        Assert.Equal(
            [EventStreamHeaderType.BoolTrue, EventStreamHeaderType.BoolFalse, EventStreamHeaderType.Byte, EventStreamHeaderType.Short, EventStreamHeaderType.Integer, EventStreamHeaderType.Long, EventStreamHeaderType.ByteArray, EventStreamHeaderType.String, EventStreamHeaderType.Timestamp, EventStreamHeaderType.Uuid],
            headers.Select(h => h.Type));
    }

    internal static byte[] Encode(EventStreamHeader[] headers, byte[] payload)
    {
        var output = new ArrayBufferWriter<byte>();
        var length = EventStreamWriter.Write(output, headers, payload);
        Assert.Equal(output.WrittenCount, length);
        return output.WrittenSpan.ToArray();
    }

    internal static ParsedMessage ParseSingle(byte[] bytes)
    {
        var messages = ParseAll(bytes, [int.MaxValue]);
        return Assert.Single(messages);
    }

    /// <summary>Parses with the given chunk sizes (cycled), copying each message out before the next append.</summary>
    internal static List<ParsedMessage> ParseAll(byte[] bytes, int[] chunkSizes)
    {
        using var parser = new EventStreamParser();
        var messages = new List<ParsedMessage>();
        var offset = 0;
        var i = 0;
        while (offset < bytes.Length)
        {
            var size = Math.Min(chunkSizes[i++ % chunkSizes.Length], bytes.Length - offset);
            parser.Append(bytes.AsSpan(offset, size));
            offset += size;
            while (parser.TryRead(out var message))
            {
                messages.Add(new ParsedMessage(message));
            }
        }

        parser.Complete();
        return messages;
    }

    private static byte[] Prelude(uint totalLength, uint headersLength)
    {
        var prelude = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(prelude, totalLength);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(4), headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), Crc32.Compute(prelude.AsSpan(0, 8)));
        return prelude;
    }

    /// <summary>A frame with arbitrary header bytes and correct lengths and checksums.</summary>
    private static byte[] RawMessage(byte[] headers, byte[] payload)
    {
        var total = 16 + headers.Length + payload.Length;
        var bytes = new byte[total];
        Prelude((uint)total, (uint)headers.Length).CopyTo(bytes, 0);
        headers.CopyTo(bytes, 12);
        payload.CopyTo(bytes, 12 + headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(total - 4), Crc32.Compute(bytes.AsSpan(0, total - 4)));
        return bytes;
    }

    /// <summary>A message copied out of the parser's buffer.</summary>
    internal sealed class ParsedMessage
    {
        public ParsedMessage(EventStreamMessage message)
        {
            Headers = [.. message.Headers];
            Payload = message.Payload.ToArray();
            MessageType = message.MessageType;
            EventType = message.EventType;
            ExceptionType = message.ExceptionType;
            ContentType = message.ContentType;
            ErrorCode = message.ErrorCode;
            ErrorMessage = message.ErrorMessage;
        }

        public IReadOnlyList<EventStreamHeader> Headers { get; }

        public ReadOnlyMemory<byte> Payload { get; }

        public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

        public string? MessageType { get; }

        public string? EventType { get; }

        public string? ExceptionType { get; }

        public string? ContentType { get; }

        public string? ErrorCode { get; }

        public string? ErrorMessage { get; }
    }
}
