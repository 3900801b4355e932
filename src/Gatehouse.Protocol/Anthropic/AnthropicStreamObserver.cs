using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>
/// Observes an Anthropic Messages stream that the gateway forwards byte for byte: it emits only what the relay accounts
/// for — the start with its usage, the size of each delta's output (<see cref="OutputSizeEvent"/>), usage updates, the
/// finish and errors — from one <see cref="Utf8JsonReader"/> pass per event, with no document and no content strings.
/// An event <see cref="AnthropicStreamDecoder"/> rejects as malformed, it rejects too.
/// </summary>
public sealed class AnthropicStreamObserver : IStreamDecoder
{
    private Usage _usage;
    private FinishReason? _finish;
    private bool _finishEmitted;

    private enum Kind
    {
        Other,
        MessageStart,
        BlockStart,
        BlockDelta,
        BlockStop,
        MessageDelta,
        MessageStop,
        Error,
    }

    /// <inheritdoc />
    public bool Decode(string? eventType, ReadOnlySpan<byte> payload, List<StreamEvent> output)
    {
        try
        {
            var e = Scan(payload);
            switch (e.Kind)
            {
                case Kind.MessageStart when !e.HasMessage:
                    throw new JsonException("message_start has no message object.");
                case Kind.MessageStart:
                    _usage = e.MessageUsage.Over(default);
                    output.Add(new MessageStartEvent(string.Empty, string.Empty, _usage));
                    break;
                case Kind.BlockStart or Kind.BlockDelta or Kind.BlockStop when e.Index is null:
                    throw new JsonException("A content block event has no integer index.");
                case Kind.BlockStart when !e.Block.IsObject:
                    throw new JsonException("content_block_start has no content_block object.");
                case Kind.BlockDelta when !e.Delta.IsObject:
                    throw new JsonException("content_block_delta has no delta object.");
                case Kind.BlockStart or Kind.BlockDelta:
                    var chars = e.Kind == Kind.BlockStart ? e.Block.StartChars : e.Delta.DeltaChars;
                    if (chars > 0)
                    {
                        output.Add(new OutputSizeEvent(chars));
                    }

                    break;
                case Kind.MessageDelta when e.Delta.Present && !e.Delta.IsObject:
                    throw new JsonException("message_delta has a delta that is not an object.");
                case Kind.MessageDelta:
                    _finish = e.Delta.IsObject ? e.Delta.StopReason ?? FinishReason.Stop : _finish;
                    if (e.Usage.Present)
                    {
                        _usage = e.Usage.Over(_usage);
                        output.Add(new UsageEvent(_usage));
                    }

                    break;
                case Kind.MessageStop:
                    Complete(output);
                    return false;
                case Kind.Error when e.ErrorPresent && !e.ErrorIsObject:
                    throw new JsonException("An error event's error is not an object.");
                case Kind.Error:
                    // As the decoder does: the error object's type and message, or the event's own when it has none.
                    output.Add(new ErrorEvent(e.ErrorIsObject
                        ? AnthropicStreamDecoder.MapStreamError(e.ErrorType, e.ErrorMessage)
                        : AnthropicStreamDecoder.MapStreamError("error", e.TopMessage)));
                    return false;
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
        if (!_finishEmitted && _finish is { } finish)
        {
            output.Add(new FinishEvent(finish));
            _finishEmitted = true;
        }
    }

    private static Event Scan(ReadOnlySpan<byte> payload)
    {
        var e = default(Event);
        var reader = JsonScan.StartObject(payload);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                JsonScan.Value(ref reader);
                e.Kind = reader.TokenType == JsonTokenType.String ? KindOf(ref reader) : Kind.Other;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                JsonScan.Value(ref reader);
                e.Index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index) ? index : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                JsonScan.Value(ref reader);
                if (reader.TokenType == JsonTokenType.String)
                {
                    e.TopMessage = reader.GetString();
                }
                else if (JsonScan.IsObject(ref reader))
                {
                    e.HasMessage = true;
                    e.MessageUsage = ScanMessageUsage(ref reader);
                }
            }
            else if (reader.ValueTextEquals("content_block"u8))
            {
                JsonScan.Value(ref reader);
                e.Block = ScanContent(ref reader);
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                JsonScan.Value(ref reader);
                e.Delta = ScanContent(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                JsonScan.Value(ref reader);
                e.Usage = ReadUsage(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                JsonScan.Value(ref reader);
                e.ErrorPresent = true;
                if (JsonScan.IsObject(ref reader))
                {
                    e.ErrorIsObject = true;
                    ScanError(ref reader, ref e);
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return e;
    }

    private static Kind KindOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("message_start"u8) ? Kind.MessageStart
        : reader.ValueTextEquals("content_block_start"u8) ? Kind.BlockStart
        : reader.ValueTextEquals("content_block_delta"u8) ? Kind.BlockDelta
        : reader.ValueTextEquals("content_block_stop"u8) ? Kind.BlockStop
        : reader.ValueTextEquals("message_delta"u8) ? Kind.MessageDelta
        : reader.ValueTextEquals("message_stop"u8) ? Kind.MessageStop
        : reader.ValueTextEquals("error"u8) ? Kind.Error
        : Kind.Other;

    // In the message object of message_start: its usage.
    private static UsageCounts ScanMessageUsage(ref Utf8JsonReader reader)
    {
        var usage = default(UsageCounts);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            JsonScan.Value(ref reader);
            if (isUsage)
            {
                usage = ReadUsage(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return usage;
    }

    // On a content_block or delta value: its type, the characters of each output field and a stop reason.
    private static Content ScanContent(ref Utf8JsonReader reader)
    {
        var content = new Content { Present = true };
        if (!JsonScan.IsObject(ref reader))
        {
            return content;
        }

        content.IsObject = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                JsonScan.Value(ref reader);
                content.Type = reader.TokenType != JsonTokenType.String ? ContentType.Other
                    : reader.ValueTextEquals("text"u8) ? ContentType.Text
                    : reader.ValueTextEquals("text_delta"u8) ? ContentType.TextDelta
                    : reader.ValueTextEquals("input_json_delta"u8) ? ContentType.JsonDelta
                    : reader.ValueTextEquals("thinking_delta"u8) ? ContentType.ThinkingDelta
                    : ContentType.Other;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                JsonScan.Value(ref reader);
                content.TextChars = JsonScan.StringChars(ref reader);
            }
            else if (reader.ValueTextEquals("partial_json"u8))
            {
                JsonScan.Value(ref reader);
                content.JsonChars = JsonScan.StringChars(ref reader);
            }
            else if (reader.ValueTextEquals("thinking"u8))
            {
                JsonScan.Value(ref reader);
                content.ThinkingChars = JsonScan.StringChars(ref reader);
            }
            else if (reader.ValueTextEquals("stop_reason"u8))
            {
                JsonScan.Value(ref reader);
                content.StopReason = reader.TokenType == JsonTokenType.String ? AnthropicResponseSummary.MapStop(ref reader) : FinishReason.Stop;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        return content;
    }

    // On a usage value: the counts it has (stream updates repeat cumulative totals and may leave some out).
    private static UsageCounts ReadUsage(ref Utf8JsonReader reader)
    {
        var usage = new UsageCounts { Present = true };
        if (!JsonScan.IsObject(ref reader))
        {
            return usage;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                usage.Input = Count(ref reader);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                usage.Output = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                usage.CacheRead = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                usage.CacheWrite = Count(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return usage;
    }

    private static long? Count(ref Utf8JsonReader reader)
    {
        JsonScan.Value(ref reader);
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
        {
            return count;
        }

        reader.Skip();
        return null;
    }

    private static void ScanError(ref Utf8JsonReader reader, ref Event e)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                e.ErrorType = JsonScan.StringValue(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                e.ErrorMessage = JsonScan.StringValue(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private enum ContentType
    {
        Other,
        Text,
        TextDelta,
        JsonDelta,
        ThinkingDelta,
    }

    private struct Content
    {
        public bool Present;
        public bool IsObject;
        public ContentType Type;
        public int TextChars;
        public int JsonChars;
        public int ThinkingChars;
        public FinishReason? StopReason;

        /// <summary>As the decoder counts a block start: the initial text of a text block.</summary>
        public readonly int StartChars => Type == ContentType.Text ? TextChars : 0;

        /// <summary>As the decoder counts a delta: the field its type names (the structured-output tool's JSON is text then, the same count).</summary>
        public readonly int DeltaChars => Type switch
        {
            ContentType.TextDelta => TextChars,
            ContentType.JsonDelta => JsonChars,
            ContentType.ThinkingDelta => ThinkingChars,
            _ => 0,
        };
    }

    private struct UsageCounts
    {
        public bool Present;
        public long? Input;
        public long? Output;
        public long? CacheRead;
        public long? CacheWrite;

        /// <summary>These counts over <paramref name="previous"/>: a count left out keeps its value.</summary>
        public readonly Usage Over(Usage previous) => new(
            Input ?? previous.InputTokens,
            Output ?? previous.OutputTokens,
            CacheRead ?? previous.CachedInputTokens,
            CacheWrite ?? previous.CacheWriteTokens,
            previous.ReasoningTokens);
    }

    private struct Event
    {
        public Kind Kind;
        public int? Index;
        public bool HasMessage;
        public string? TopMessage;
        public UsageCounts MessageUsage;
        public Content Block;
        public Content Delta;
        public UsageCounts Usage;
        public bool ErrorPresent;
        public bool ErrorIsObject;
        public string? ErrorType;
        public string? ErrorMessage;
    }
}
