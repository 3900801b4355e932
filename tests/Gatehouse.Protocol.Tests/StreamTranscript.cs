using System.Text;
using FsCheck;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.Sse;
using Gatehouse.Protocol.Streaming;
using Xunit;

namespace Gatehouse.Protocol.Tests;

/// <summary>Runs SSE transcripts through <see cref="SseParser"/> in given chunk sizes, and canonical events through encoders.</summary>
internal static class StreamTranscript
{
    /// <summary>Chunk sizes from FsCheck cuts (1 to <paramref name="max"/>), or the whole transcript at once.</summary>
    public static int[] Sizes(PositiveInt[] cuts, int max) =>
        cuts.Length == 0 ? [int.MaxValue] : Array.ConvertAll(cuts, c => (c.Get % max) + 1);

    /// <summary>The events of an SSE transcript as (event type, data) pairs.</summary>
    public static List<(string? EventType, string Data)> Events(byte[] bytes, int[] sizes)
    {
        var events = new List<(string?, string)>();
        Parse(bytes, sizes, e => events.Add((e.EventType, Encoding.UTF8.GetString(e.Data.Span))));
        return events;
    }

    /// <summary>Decodes a transcript until the decoder reports the end, then completes the decoder.</summary>
    public static List<StreamEvent> Decode(byte[] bytes, IStreamDecoder decoder, int[] sizes)
    {
        var events = new List<StreamEvent>();
        var more = true;
        Parse(bytes, sizes, e =>
        {
            if (!more)
            {
                throw new InvalidOperationException("The decoder ended the stream before the transcript did.");
            }

            more = decoder.Decode(e.EventType, e.Data.Span, events);
        });
        decoder.Complete(events);
        return events;
    }

    /// <summary>Decodes JSON payloads that must each leave the stream open, then completes the decoder.</summary>
    public static List<StreamEvent> DecodePayloads(IStreamDecoder decoder, params string[] payloads)
    {
        var events = new List<StreamEvent>();
        foreach (var payload in payloads)
        {
            Assert.True(decoder.Decode(null, Encoding.UTF8.GetBytes(payload), events));
        }

        decoder.Complete(events);
        return events;
    }

    /// <summary>Writes canonical events through an encoder and completes the stream.</summary>
    public static byte[] Encode(IEnumerable<StreamEvent> events, IStreamEncoder encoder)
    {
        using var buffer = new PooledBufferWriter();
        foreach (var streamEvent in events)
        {
            encoder.Write(streamEvent, buffer);
        }

        encoder.Complete(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Parse(byte[] bytes, int[] sizes, Action<SseEvent> onEvent)
    {
        using var parser = new SseParser();
        var offset = 0;
        var i = 0;
        while (offset < bytes.Length)
        {
            var size = Math.Min(sizes[i++ % sizes.Length], bytes.Length - offset);
            parser.Append(bytes.AsSpan(offset, size));
            offset += size;
            while (parser.TryRead(out var sseEvent))
            {
                onEvent(sseEvent);
            }
        }

        while (parser.TryReadFinal(out var last))
        {
            onEvent(last);
        }
    }
}
