using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>
/// Reads what the gateway needs from a Chat Completions answer it forwards unchanged — the served model, the first
/// choice's finish reason and the usage — in one pass of a <see cref="Utf8JsonReader"/>, without a document or the
/// answer's content. It rejects an answer that is not valid JSON or UTF-8 or has no first choice with a message object,
/// as <see cref="OpenAiChatResponseDecoder.Decode"/> does; it does not check the content it leaves to the client (tool
/// calls, say), which the full decode reads.
/// </summary>
public static class OpenAiChatResponseSummary
{
    /// <summary>Reads the summary; <see cref="ChatResponse.Parts"/> stay empty and <see cref="ChatResponse.Id"/> is not read.</summary>
    public static ChatResponse Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = JsonScan.StartObject(body.Span);
            var model = string.Empty;
            var finish = FinishReason.Stop;
            var usage = default(Usage);
            var hasMessage = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    JsonScan.Value(ref reader);
                    hasMessage = ReadFirstChoice(ref reader, ref finish);
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    model = JsonScan.StringValue(ref reader) ?? string.Empty;
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
            if (!hasMessage)
            {
                throw new KeyNotFoundException("The answer has no choice with a message.");
            }

            return new ChatResponse { Id = string.Empty, Model = model, FinishReason = finish, Usage = usage };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <summary>Reads an OpenAI <c>usage</c> value as <see cref="OpenAiChatResponseDecoder.ReadUsage"/> does.</summary>
    internal static Usage ReadUsage(ref Utf8JsonReader reader)
    {
        if (!JsonScan.IsObject(ref reader))
        {
            return default;
        }

        long prompt = 0, completion = 0, cached = 0, reasoning = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                JsonScan.Value(ref reader);
                prompt = JsonScan.Int64(ref reader, 0);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                JsonScan.Value(ref reader);
                completion = JsonScan.Int64(ref reader, 0);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                JsonScan.Value(ref reader);
                cached = JsonScan.NestedInt64(ref reader, "cached_tokens"u8);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                JsonScan.Value(ref reader);
                reasoning = JsonScan.NestedInt64(ref reader, "reasoning_tokens"u8);
            }
            else
            {
                reader.Skip();
            }
        }

        // As in the full decode: canonical input excludes the cached tokens OpenAI counts inside prompt_tokens.
        return Canonical(prompt, completion, cached, reasoning);
    }

    /// <summary>
    /// OpenAI's counts as canonical usage: input without the cached tokens OpenAI counts inside prompt_tokens (so each
    /// class is priced once), and no count below zero, whatever a server reports.
    /// </summary>
    internal static Usage Canonical(long prompt, long completion, long cached, long reasoning)
    {
        cached = Math.Clamp(cached, 0, Math.Max(prompt, 0));
        return new Usage(Math.Max(prompt, 0) - cached, Math.Max(completion, 0), cached, 0, Math.Max(reasoning, 0));
    }

    /// <summary>Maps a finish_reason string value as <see cref="OpenAiChatResponseDecoder.MapFinish"/> does, without allocating it.</summary>
    internal static FinishReason MapFinish(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("length"u8) ? FinishReason.Length
        : reader.ValueTextEquals("tool_calls"u8) || reader.ValueTextEquals("function_call"u8) ? FinishReason.ToolCalls
        : reader.ValueTextEquals("content_filter"u8) ? FinishReason.ContentFilter
        : FinishReason.Stop;

    // On the choices value: reads the first choice's finish reason and whether it has a message; skips the rest.
    private static bool ReadFirstChoice(ref Utf8JsonReader reader, ref FinishReason finish)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        JsonScan.Value(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            SkipRestOfArray(ref reader);
            return false;
        }

        var hasMessage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("finish_reason"u8))
            {
                JsonScan.Value(ref reader);
                if (reader.TokenType == JsonTokenType.String)
                {
                    finish = MapFinish(ref reader);
                }

                reader.Skip();
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                JsonScan.Value(ref reader);
                hasMessage = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        reader.Read();
        SkipRestOfArray(ref reader);
        return hasMessage;
    }

    // From a token inside an array (or its end), skips to the array's end.
    private static void SkipRestOfArray(ref Utf8JsonReader reader)
    {
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            JsonScan.Value(ref reader);
        }
    }
}
