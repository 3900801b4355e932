using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>Decodes OpenAI <c>chat.completion.chunk</c> SSE events into canonical stream events.</summary>
public sealed class OpenAiStreamDecoder : IStreamDecoder
{
    private readonly BlockTracker _blocks = new();
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
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            DecodeChunk(document.RootElement, output);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a value of the wrong JSON kind, or a string that is not valid Unicode.
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <inheritdoc />
    public void Complete(List<StreamEvent> output)
    {
        _blocks.Close(output);
        if (_started && !_finished)
        {
            output.Add(new FinishEvent(FinishReason.Stop));
            _finished = true;
        }
    }

    private void DecodeChunk(JsonElement root, List<StreamEvent> output)
    {
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            output.Add(new ErrorEvent(new GatewayError(ErrorKind.UpstreamError, $"The provider reported an error mid-stream: {message}", "upstream_stream_error")));
            return;
        }

        if (!_started)
        {
            _started = true;
            output.Add(new MessageStartEvent(
                root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : RequestId.New("chatcmpl-"),
                root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString()! : string.Empty,
                default));
        }

        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                DecodeDelta(delta, output);
            }

            if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
            {
                _blocks.Close(output);
                output.Add(new FinishEvent(OpenAiChatResponseDecoder.MapFinish(finish.GetString())));
                _finished = true;
            }
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            output.Add(new UsageEvent(OpenAiChatResponseDecoder.ReadUsage(usage)));
        }
    }

    private void DecodeDelta(JsonElement delta, List<StreamEvent> output)
    {
        foreach (var name in (ReadOnlySpan<string>)["reasoning_content", "reasoning"])
        {
            if (delta.TryGetProperty(name, out var reasoning) && reasoning.ValueKind == JsonValueKind.String && reasoning.GetString() is { Length: > 0 } text)
            {
                output.Add(new ThinkingDeltaEvent(_blocks.Thinking(output), text));
                break;
            }
        }

        if (delta.TryGetProperty("thinking_blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in blocks.EnumerateArray())
            {
                if (block.TryGetProperty("signature", out var signature) && signature.ValueKind == JsonValueKind.String)
                {
                    output.Add(new SignatureDeltaEvent(_blocks.Thinking(output), signature.GetString()!));
                }
            }
        }

        if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } piece)
        {
            output.Add(new TextDeltaEvent(_blocks.Text(output), piece));
        }

        if (!delta.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var call in calls.EnumerateArray())
        {
            var providerIndex = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
            var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            if (!_blocks.TryGetTool(providerIndex, out var index))
            {
                var callId = call.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : RequestId.New("call_");
                var name = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var nm) && nm.ValueKind == JsonValueKind.String ? nm.GetString()! : string.Empty;
                index = _blocks.StartTool(providerIndex, callId, name, OpenAiChatResponseDecoder.ReadThoughtSignature(call), output);
            }

            if (function.ValueKind == JsonValueKind.Object && function.TryGetProperty("arguments", out var args)
                && args.ValueKind == JsonValueKind.String && args.GetString() is { Length: > 0 } fragment)
            {
                output.Add(new ToolArgumentsDeltaEvent(index, fragment));
            }
        }
    }
}
