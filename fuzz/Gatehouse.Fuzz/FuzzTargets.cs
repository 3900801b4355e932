using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Gemini;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Protocol.Sse;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Fuzz;

/// <summary>
/// The fuzz targets, one per decoder. Each swallows only the exceptions its decoder documents for bad input
/// (<see cref="GatewayException"/>, and <see cref="InvalidDataException"/> from the SSE parser); anything else
/// escapes and is a bug. Where a cheap oracle exists the target also checks it and throws
/// <see cref="InvalidOperationException"/> when it fails. The same bodies run the seed corpus as unit tests.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The largest SSE event the targets accept, small so that the limit is reached too.</summary>
    private const int MaxEventBytes = 4096;

    private static readonly int[] ChunkSizes = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89];

    /// <summary>The target names, as given on the command line and as corpus folder names.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["sse", "openai-request", "anthropic-request", "openai-stream", "anthropic-stream", "gemini-stream", "json-rewriter"];

    /// <summary>Runs the named target on one input.</summary>
    public static void Run(string target, ReadOnlySpan<byte> input)
    {
        switch (target)
        {
            case "sse": Sse(input); break;
            case "openai-request": OpenAiRequest(input); break;
            case "anthropic-request": AnthropicRequest(input); break;
            case "openai-stream": Stream(input, new OpenAiStreamDecoder()); break;
            case "anthropic-stream": Stream(input, new AnthropicStreamDecoder()); break;
            case "gemini-stream": Stream(input, new GeminiStreamDecoder()); break;
            case "json-rewriter": JsonRewriter(input); break;
            default: throw new ArgumentException($"Unknown fuzz target '{target}'; use one of {string.Join(", ", Names)}.", nameof(target));
        }
    }

    /// <summary>SSE parsing: the events must not depend on how the bytes were chunked.</summary>
    public static void Sse(ReadOnlySpan<byte> input)
    {
        var whole = ParseSse(input, [int.MaxValue]);
        var chunked = ParseSse(input, ChunkSizes);
        if (!whole.SequenceEqual(chunked))
        {
            throw new InvalidOperationException($"Chunking changed the events: {whole.Count} whole, {chunked.Count} chunked.");
        }
    }

    /// <summary>OpenAI request decoding: a decoded request re-encodes to a body that decodes again, and encodes for every provider.</summary>
    public static void OpenAiRequest(ReadOnlySpan<byte> input) =>
        Request(input, OpenAiChatRequestDecoder.Decode, static (r, b) => OpenAiChatRequestEncoder.Encode(r, r.Model, b));

    /// <summary>Anthropic request decoding: a decoded request re-encodes to a body that decodes again, and encodes for every provider.</summary>
    public static void AnthropicRequest(ReadOnlySpan<byte> input) =>
        Request(input, AnthropicRequestDecoder.Decode, static (r, b) => AnthropicRequestEncoder.Encode(r, r.Model, 4096, b));

    /// <summary>Pass-through rewriting: when it succeeds the input was one JSON object and the output is that object with the new model.</summary>
    public static void JsonRewriter(ReadOnlySpan<byte> input)
    {
        using var output = new PooledBufferWriter();
        var addStreamUsage = input.Length % 2 == 1;
        if (!JsonBodyRewriter.TryRewrite(input, "fuzz-model", addStreamUsage, output))
        {
            if (output.WrittenCount != 0)
            {
                throw new InvalidOperationException("The rewriter declined but wrote output.");
            }

            return;
        }

        var options = new JsonDocumentOptions { MaxDepth = 256 };
        using var original = ParseOracle(input, options, "The rewriter accepted a body that is not JSON.");
        using var rewritten = ParseOracle(output.WrittenSpan, options, "The rewriter wrote invalid JSON.");
        if (rewritten.RootElement.GetProperty("model").GetString() != "fuzz-model"
            || rewritten.RootElement.EnumerateObject().Count() != original.RootElement.EnumerateObject().Count() + (addStreamUsage ? 1 : 0))
        {
            throw new InvalidOperationException("The rewriter changed more than the model.");
        }
    }

    /// <summary>Stream decoding: SSE events through a decoder, the canonical events through both client encoders.</summary>
    private static void Stream(ReadOnlySpan<byte> input, IStreamDecoder decoder)
    {
        var events = new List<StreamEvent>();
        try
        {
            using var parser = new SseParser(MaxEventBytes);
            parser.Append(input);
            var more = true;
            while (more && parser.TryRead(out var sseEvent))
            {
                more = decoder.Decode(sseEvent.EventType, sseEvent.Data.Span, events);
            }

            while (more && parser.TryReadFinal(out var last))
            {
                more = decoder.Decode(last.EventType, last.Data.Span, events);
            }

            decoder.Complete(events);
        }
        catch (Exception ex) when (ex is GatewayException or InvalidDataException)
        {
            // The relay ends such a stream with an error event; the events decoded so far were already sent.
        }

        using var output = new PooledBufferWriter();
        foreach (var encoder in (IStreamEncoder[])[new OpenAiStreamEncoder("fuzz", 0, includeUsage: true), new AnthropicStreamEncoder("fuzz")])
        {
            foreach (var streamEvent in events)
            {
                encoder.Write(streamEvent, output);
            }

            encoder.Complete(output);
        }
    }

    private static List<string> ParseSse(ReadOnlySpan<byte> input, int[] sizes)
    {
        var events = new List<string>();
        using var parser = new SseParser(MaxEventBytes);
        try
        {
            var offset = 0;
            var i = 0;
            while (offset < input.Length)
            {
                var size = Math.Min(sizes[i++ % sizes.Length], input.Length - offset);
                parser.Append(input.Slice(offset, size));
                offset += size;
                while (parser.TryRead(out var sseEvent))
                {
                    events.Add(Describe(sseEvent));
                }
            }

            while (parser.TryReadFinal(out var last))
            {
                events.Add(Describe(last));
            }
        }
        catch (InvalidDataException)
        {
            events.Add("<too large>");
        }

        return events;
    }

    private static string Describe(SseEvent sseEvent) => $"{sseEvent.EventType}\n{Convert.ToHexString(sseEvent.Data.Span)}";

    private static void Request(ReadOnlySpan<byte> input, Func<ReadOnlyMemory<byte>, ChatRequest> decode, Action<ChatRequest, PooledBufferWriter> encode)
    {
        ChatRequest request;
        try
        {
            request = decode(input.ToArray());
        }
        catch (GatewayException)
        {
            return;
        }

        using var body = new PooledBufferWriter();
        encode(request, body);
        try
        {
            request = decode(body.WrittenSpan.ToArray());
        }
        catch (GatewayException ex)
        {
            throw new InvalidOperationException($"A decoded request re-encoded to a body its own decoder rejects: {ex.Message}", ex);
        }

        EncodeForEveryProvider(request);
    }

    private static void EncodeForEveryProvider(ChatRequest request)
    {
        using var body = new PooledBufferWriter();
        OpenAiChatRequestEncoder.Encode(request, "fuzz", body);
        body.Clear();
        AnthropicRequestEncoder.Encode(request, "fuzz", 4096, body);
        body.Clear();
        try
        {
            GeminiRequestEncoder.Encode(request, body);
        }
        catch (GatewayException)
        {
            // Documented: Gemini cannot take a tool result that answers no earlier call (its name is unknown), a 400.
        }
    }

    private static JsonDocument ParseOracle(ReadOnlySpan<byte> json, JsonDocumentOptions options, string failure)
    {
        try
        {
            return JsonDocument.Parse(json.ToArray(), options);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException(failure, ex);
        }
    }
}
