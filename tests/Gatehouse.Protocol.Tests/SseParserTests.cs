using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Gatehouse.Protocol.Sse;
using Xunit;

namespace Gatehouse.Protocol.Tests;

public sealed class SseParserTests
{
    private const string Stream =
        "event: message_start\ndata: {\"a\":1}\n\n" +
        ": a comment\r\n" +
        "data: line one\r\ndata: line two\r\n\r\n" +
        "event: ping\rdata: {}\r\r" +
        "data: [DONE]\n\n";

    [Fact]
    public void Parses_events_with_every_line_ending()
    {
        var events = ParseInChunks(Encoding.UTF8.GetBytes(Stream), [int.MaxValue]);
        Assert.Equal(
            ["message_start|{\"a\":1}", "|line one\nline two", "ping|{}", "|[DONE]"],
            events);
    }

    [Fact]
    public void Final_event_without_blank_line_is_delivered_at_end_of_stream()
    {
        var events = ParseInChunks("data: tail"u8.ToArray(), [3]);
        Assert.Equal(["|tail"], events);
    }

    [Fact]
    public void Oversized_event_is_rejected()
    {
        using var parser = new SseParser(maxEventBytes: 16);
        parser.Append(Encoding.UTF8.GetBytes("data: " + new string('x', 64) + "\n\n"));
        Assert.Throws<InvalidDataException>(() => parser.TryRead(out _));
    }

    [Property(MaxTest = 300)]
    public bool Chunk_boundaries_do_not_change_events(PositiveInt[] cuts)
    {
        var bytes = Encoding.UTF8.GetBytes(Stream);
        var whole = ParseInChunks(bytes, [int.MaxValue]);
        var split = ParseInChunks(bytes, cuts.Select(c => c.Get % 7 + 1).ToArray());
        return whole.SequenceEqual(split);
    }

    private static List<string> ParseInChunks(byte[] bytes, int[] sizes)
    {
        using var parser = new SseParser();
        var events = new List<string>();
        var offset = 0;
        var i = 0;
        while (offset < bytes.Length)
        {
            var size = sizes.Length == 0 ? bytes.Length : Math.Min(sizes[i++ % sizes.Length], bytes.Length - offset);
            parser.Append(bytes.AsSpan(offset, size));
            offset += size;
            while (parser.TryRead(out var e))
            {
                events.Add($"{e.EventType}|{Encoding.UTF8.GetString(e.Data.Span)}");
            }
        }

        while (parser.TryReadFinal(out var last))
        {
            events.Add($"{last.EventType}|{Encoding.UTF8.GetString(last.Data.Span)}");
        }

        return events;
    }
}
