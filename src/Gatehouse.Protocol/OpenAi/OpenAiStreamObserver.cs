using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>
/// Observes an OpenAI chunk stream that the gateway forwards byte for byte: it emits only what the relay accounts for
/// — the start, the size of each chunk's output (<see cref="OutputSizeEvent"/>), the finish, usage and errors — from
/// one <see cref="Utf8JsonReader"/> pass per chunk, with no document and no content strings. A chunk
/// <see cref="OpenAiStreamDecoder"/> rejects as malformed, it rejects too.
/// </summary>
public sealed class OpenAiStreamObserver : IStreamDecoder
{
    // The relay reads neither id nor model of a forwarded stream's start.
    private static readonly MessageStartEvent Started = new(string.Empty, string.Empty, default);

    private bool _started;
    private bool _finished;

    /// <inheritdoc />
    public bool Decode(string? eventType, ReadOnlySpan<byte> payload, List<StreamEvent> output)
    {
        if (payload.SequenceEqual("[DONE]"u8))
        {
            return false;
        }

        try
        {
            var chunk = Scan(payload);
            if (chunk.Error is not null)
            {
                output.Add(new ErrorEvent(new GatewayError(ErrorKind.UpstreamError, $"The provider reported an error mid-stream: {chunk.Error.Message}", "upstream_stream_error")));
                return true;
            }

            if (!_started)
            {
                _started = true;
                output.Add(Started);
            }

            if (chunk.OutputChars > 0)
            {
                output.Add(new OutputSizeEvent(chunk.OutputChars));
            }

            if (chunk.Finish is { } finish)
            {
                output.Add(new FinishEvent(finish));
                _finished = true;
            }

            if (chunk.Usage is { } usage)
            {
                output.Add(new UsageEvent(usage));
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <inheritdoc />
    public void Complete(List<StreamEvent> output)
    {
        if (_started && !_finished)
        {
            output.Add(new FinishEvent(FinishReason.Stop));
            _finished = true;
        }
    }

    private static Chunk Scan(ReadOnlySpan<byte> payload)
    {
        var chunk = default(Chunk);
        var reader = JsonScan.StartObject(payload);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                JsonScan.Value(ref reader);
                ScanChoices(ref reader, ref chunk);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                JsonScan.Value(ref reader);
                if (JsonScan.IsObject(ref reader))
                {
                    chunk.Usage = OpenAiChatResponseSummary.ReadUsage(ref reader);
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                JsonScan.Value(ref reader);
                chunk.Error = reader.TokenType == JsonTokenType.StartObject ? new ChunkError(ReadErrorMessage(ref reader)) : chunk.Error;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        return chunk;
    }

    // On the choices value: the first choice's delta sizes and finish reason, as the decoder reads them; skips the rest.
    private static void ScanChoices(ref Utf8JsonReader reader, ref Chunk chunk)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        JsonScan.Value(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject && reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("A choice is not an object.");
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8))
                {
                    JsonScan.Value(ref reader);
                    chunk.OutputChars += DeltaChars(ref reader);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    JsonScan.Value(ref reader);
                    chunk.Finish = reader.TokenType == JsonTokenType.String ? OpenAiChatResponseSummary.MapFinish(ref reader) : chunk.Finish;
                    reader.Skip();
                }
                else
                {
                    reader.Skip();
                }
            }

            reader.Read();
        }

        while (reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            JsonScan.Value(ref reader);
        }
    }

    // On a delta value: the characters of its content, of one reasoning field and of its tool-call argument fragments.
    private static int DeltaChars(ref Utf8JsonReader reader)
    {
        if (!JsonScan.IsObject(ref reader))
        {
            return 0;
        }

        int content = 0, reasoningContent = 0, reasoning = 0, arguments = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                JsonScan.Value(ref reader);
                content = JsonScan.StringChars(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning_content"u8))
            {
                JsonScan.Value(ref reader);
                reasoningContent = JsonScan.StringChars(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning"u8))
            {
                JsonScan.Value(ref reader);
                reasoning = JsonScan.StringChars(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                JsonScan.Value(ref reader);
                arguments = ToolArgumentChars(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        // The decoder takes reasoning_content before reasoning, and only one of them.
        return content + (reasoningContent > 0 ? reasoningContent : reasoning) + arguments;
    }

    private static int ToolArgumentChars(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        var chars = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A tool call is not an object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFunction = reader.ValueTextEquals("function"u8);
                JsonScan.Value(ref reader);
                if (isFunction && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isArguments = reader.ValueTextEquals("arguments"u8);
                        JsonScan.Value(ref reader);
                        if (isArguments)
                        {
                            chars += JsonScan.StringChars(ref reader);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return chars;
    }

    // On an error object: its message, as the decoder reads it; leaves the reader on the object's end.
    private static string? ReadErrorMessage(ref Utf8JsonReader reader)
    {
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                message = JsonScan.StringValue(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return message;
    }

    private sealed record ChunkError(string? Message);

    private struct Chunk
    {
        public int OutputChars;
        public FinishReason? Finish;
        public Usage? Usage;
        public ChunkError? Error;
    }
}
