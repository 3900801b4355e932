using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Gatehouse.Protocol.Bedrock.EventStream;

namespace Gatehouse.Protocol.Tests.Bedrock;

public sealed class EventStreamPropertyTests
{
    [Property(MaxTest = 200)]
    public bool Chunk_boundaries_do_not_change_messages(int seed, PositiveInt[] cuts)
    {
        var (bytes, expected) = RandomStream(seed);

        var whole = EventStreamCodecTests.ParseAll(bytes, [int.MaxValue]);
        var split = EventStreamCodecTests.ParseAll(bytes, cuts.Length == 0 ? [1] : cuts.Select(c => (c.Get % 37) + 1).ToArray());

        return Describe(whole).SequenceEqual(expected) && Describe(split).SequenceEqual(expected);
    }

    [Property(MaxTest = 300)]
    public bool Corrupted_streams_fail_only_with_invalid_data(int seed, PositiveInt position, byte flip)
    {
        var (bytes, _) = RandomStream(seed);
        var index = position.Get % bytes.Length;
        bytes[index] ^= flip == 0 ? (byte)0x80 : flip;

        try
        {
            // Any single corrupted byte must be caught by a checksum, a length check or a header check.
            EventStreamCodecTests.ParseAll(bytes, [7]);
            return false;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    /// <summary>A stream of 1–8 messages with random headers of every type and random payloads, and their descriptions.</summary>
    private static (byte[] Bytes, List<string> Expected) RandomStream(int seed)
    {
        var random = new Random(seed);
        var output = new ArrayBufferWriter<byte>();
        var expected = new List<string>();
        var count = random.Next(1, 9);
        for (var m = 0; m < count; m++)
        {
            var headers = new EventStreamHeader[random.Next(0, 6)];
            for (var h = 0; h < headers.Length; h++)
            {
                headers[h] = RandomHeader(random, $"h{h}");
            }

            var payload = new byte[random.Next(0, 300)];
            random.NextBytes(payload);
            EventStreamWriter.Write(output, headers, payload);
            expected.Add(Describe(headers, payload));
        }

        return (output.WrittenSpan.ToArray(), expected);
    }

    private static EventStreamHeader RandomHeader(Random random, string name) => random.Next(10) switch
    {
        0 => EventStreamHeader.Bool(name, true),
        1 => EventStreamHeader.Bool(name, false),
        2 => EventStreamHeader.Byte(name, (sbyte)random.Next(-128, 128)),
        3 => EventStreamHeader.Short(name, (short)random.Next(short.MinValue, short.MaxValue + 1)),
        4 => EventStreamHeader.Integer(name, random.Next(int.MinValue, int.MaxValue)),
        5 => EventStreamHeader.Long(name, random.NextInt64(long.MinValue, long.MaxValue)),
        6 => EventStreamHeader.ByteArray(name, RandomBytes(random)),
        7 => EventStreamHeader.String(name, new string((char)random.Next('a', 'z' + 1), random.Next(0, 90)) + "é✓"),
        8 => EventStreamHeader.Timestamp(name, DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(0, 4_000_000_000_000))),
        _ => EventStreamHeader.Uuid(name, new Guid(RandomBytes(random, 16))),
    };

    private static byte[] RandomBytes(Random random, int? length = null)
    {
        var bytes = new byte[length ?? random.Next(0, 40)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static List<string> Describe(List<EventStreamCodecTests.ParsedMessage> messages) =>
        messages.Select(m => Describe([.. m.Headers], m.Payload.ToArray())).ToList();

    private static string Describe(EventStreamHeader[] headers, byte[] payload)
    {
        var text = new StringBuilder();
        foreach (var header in headers)
        {
            text.Append(header).Append('|');
            if (header.Type == EventStreamHeaderType.ByteArray)
            {
                text.Append(Convert.ToHexString(header.AsBytes().Span)).Append('|');
            }
        }

        return text.Append(Convert.ToHexString(payload)).ToString();
    }
}
