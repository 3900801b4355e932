using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>
/// Reads what the gateway needs from an Anthropic Messages answer it forwards unchanged — the served model, the stop
/// reason and the usage — in one pass of a <see cref="Utf8JsonReader"/>, without a document or the content blocks.
/// It rejects an answer that is not valid JSON or UTF-8, has no <c>id</c> or no <c>content</c> array of objects, as
/// <see cref="AnthropicResponseDecoder.Decode"/> does; it does not check the blocks' content, which it leaves to the client.
/// </summary>
public static class AnthropicResponseSummary
{
    /// <summary>Reads the summary; <see cref="ChatResponse.Parts"/> stay empty and <see cref="ChatResponse.Id"/> is not read.</summary>
    public static ChatResponse Read(ReadOnlyMemory<byte> body, long created)
    {
        try
        {
            var reader = JsonScan.StartObject(body.Span);
            var model = string.Empty;
            var finish = FinishReason.Stop;
            var usage = default(Usage);
            bool hasId = false, hasContent = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    JsonScan.Value(ref reader);
                    hasId = reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    JsonScan.Value(ref reader);
                    hasContent = IsArrayOfObjects(ref reader);
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    model = JsonScan.StringValue(ref reader) ?? string.Empty;
                }
                else if (reader.ValueTextEquals("stop_reason"u8))
                {
                    JsonScan.Value(ref reader);
                    finish = reader.TokenType == JsonTokenType.String ? MapStop(ref reader) : FinishReason.Stop;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    JsonScan.Value(ref reader);
                    usage = ReadUsage(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            JsonScan.End(ref reader);
            if (!hasId || !hasContent)
            {
                throw new KeyNotFoundException("The answer has no id or no content array.");
            }

            return new ChatResponse { Id = string.Empty, Model = model, Created = created, FinishReason = finish, Usage = usage };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <summary>Reads an Anthropic <c>usage</c> value as <see cref="AnthropicResponseDecoder.ReadUsage"/> does over no previous value.</summary>
    internal static Usage ReadUsage(ref Utf8JsonReader reader)
    {
        if (!JsonScan.IsObject(ref reader))
        {
            return default;
        }

        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref input;
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                target = ref input;
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                target = ref output;
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                target = ref cacheRead;
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                target = ref cacheWrite;
            }
            else
            {
                reader.Skip();
                continue;
            }

            JsonScan.Value(ref reader);
            target = JsonScan.Int64(ref reader, target);
        }

        return new Usage(input, output, cacheRead, cacheWrite);
    }

    /// <summary>Maps a stop_reason string value as <see cref="AnthropicResponseDecoder.MapStop"/> does, without allocating it.</summary>
    internal static FinishReason MapStop(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("model_context_window_exceeded"u8) ? FinishReason.Length
        : reader.ValueTextEquals("tool_use"u8) ? FinishReason.ToolCalls
        : reader.ValueTextEquals("refusal"u8) ? FinishReason.Refusal
        : FinishReason.Stop;

    // On the content value: whether it is an array whose elements are all objects; skips it.
    private static bool IsArrayOfObjects(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        var allObjects = true;
        JsonScan.Value(ref reader);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            allObjects &= reader.TokenType == JsonTokenType.StartObject;
            reader.Skip();
            JsonScan.Value(ref reader);
        }

        return allObjects;
    }
}
