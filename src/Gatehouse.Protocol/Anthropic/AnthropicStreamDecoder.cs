using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>Decodes Anthropic Messages stream events into canonical stream events.</summary>
public sealed class AnthropicStreamDecoder : IStreamDecoder
{
    private int _structuredIndex = -1;
    private Usage _usage;
    private string? _stopSequence;
    private FinishReason? _finish;
    private bool _finishEmitted;

    /// <inheritdoc />
    public bool Decode(string? eventType, ReadOnlySpan<byte> payload, List<StreamEvent> output)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            return DecodeEvent(document.RootElement, output);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // FormatException: a block index that is not an int (1.5, 1e99).
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <inheritdoc />
    public void Complete(List<StreamEvent> output) => EmitFinish(output);

    private bool DecodeEvent(JsonElement root, List<StreamEvent> output)
    {
        switch (AnthropicResponseDecoder.Str(root, "type"))
        {
            case "message_start":
                var message = root.GetProperty("message");
                _usage = message.TryGetProperty("usage", out var startUsage) ? AnthropicResponseDecoder.ReadUsage(startUsage, default) : default;
                output.Add(new MessageStartEvent(
                    AnthropicResponseDecoder.Str(message, "id") ?? RequestId.New("msg_"),
                    AnthropicResponseDecoder.Str(message, "model") ?? string.Empty,
                    _usage));
                break;
            case "content_block_start":
                var startIndex = root.GetProperty("index").GetInt32();
                var block = root.GetProperty("content_block");
                if (AnthropicResponseDecoder.Str(block, "type") == "tool_use" && AnthropicResponseDecoder.Str(block, "name") == AnthropicStructuredOutput.ToolName)
                {
                    // The forced structured-output tool streams its input: relay it as answer text.
                    _structuredIndex = startIndex;
                    output.Add(new TextStartEvent(startIndex));
                    break;
                }

                DecodeBlockStart(startIndex, block, output);
                break;
            case "content_block_delta":
                var deltaIndex = root.GetProperty("index").GetInt32();
                if (deltaIndex == _structuredIndex)
                {
                    output.Add(new TextDeltaEvent(deltaIndex, AnthropicResponseDecoder.Str(root.GetProperty("delta"), "partial_json") ?? string.Empty));
                    break;
                }

                DecodeDelta(deltaIndex, root.GetProperty("delta"), output);
                break;
            case "content_block_stop":
                output.Add(new BlockStopEvent(root.GetProperty("index").GetInt32()));
                break;
            case "message_delta":
                if (root.TryGetProperty("delta", out var delta))
                {
                    _finish = AnthropicResponseDecoder.MapStop(AnthropicResponseDecoder.Str(delta, "stop_reason"));
                    if (_structuredIndex >= 0 && _finish == FinishReason.ToolCalls)
                    {
                        _finish = FinishReason.Stop;
                    }

                    _stopSequence = AnthropicResponseDecoder.Str(delta, "stop_sequence");
                }

                if (root.TryGetProperty("usage", out var usage))
                {
                    _usage = AnthropicResponseDecoder.ReadUsage(usage, _usage);
                    output.Add(new UsageEvent(_usage));
                }

                break;
            case "message_stop":
                EmitFinish(output);
                return false;
            case "error":
                output.Add(new ErrorEvent(MapStreamError(root)));
                return false;
        }

        return true;
    }

    private void EmitFinish(List<StreamEvent> output)
    {
        if (!_finishEmitted && _finish is { } finish)
        {
            output.Add(new FinishEvent(finish, _stopSequence));
            _finishEmitted = true;
        }
    }

    private static void DecodeBlockStart(int index, JsonElement block, List<StreamEvent> output)
    {
        switch (AnthropicResponseDecoder.Str(block, "type"))
        {
            case "text":
                output.Add(new TextStartEvent(index));
                if (AnthropicResponseDecoder.Str(block, "text") is { Length: > 0 } text)
                {
                    output.Add(new TextDeltaEvent(index, text));
                }

                break;
            case "thinking":
                output.Add(new ThinkingStartEvent(index));
                break;
            case "redacted_thinking":
                output.Add(new ThinkingStartEvent(index, AnthropicResponseDecoder.Str(block, "data")));
                break;
            case "tool_use":
                output.Add(new ToolCallStartEvent(index, AnthropicResponseDecoder.Str(block, "id") ?? RequestId.New("toolu_"), AnthropicResponseDecoder.Str(block, "name") ?? string.Empty));
                break;
            default:
                // Unknown block kinds (server tools) are treated as text blocks so indexes stay aligned.
                output.Add(new TextStartEvent(index));
                break;
        }
    }

    private static void DecodeDelta(int index, JsonElement delta, List<StreamEvent> output)
    {
        switch (AnthropicResponseDecoder.Str(delta, "type"))
        {
            case "text_delta":
                output.Add(new TextDeltaEvent(index, AnthropicResponseDecoder.Str(delta, "text") ?? string.Empty));
                break;
            case "input_json_delta":
                output.Add(new ToolArgumentsDeltaEvent(index, AnthropicResponseDecoder.Str(delta, "partial_json") ?? string.Empty));
                break;
            case "thinking_delta":
                output.Add(new ThinkingDeltaEvent(index, AnthropicResponseDecoder.Str(delta, "thinking") ?? string.Empty));
                break;
            case "signature_delta":
                output.Add(new SignatureDeltaEvent(index, AnthropicResponseDecoder.Str(delta, "signature") ?? string.Empty));
                break;
        }
    }

    /// <summary>Maps an Anthropic error event (as sent mid-stream) to a gateway error.</summary>
    internal static GatewayError MapStreamError(JsonElement root)
    {
        var error = root.TryGetProperty("error", out var e) ? e : root;
        return MapStreamError(AnthropicResponseDecoder.Str(error, "type"), AnthropicResponseDecoder.Str(error, "message"));
    }

    /// <summary>Maps an Anthropic mid-stream error's type and message to a gateway error.</summary>
    internal static GatewayError MapStreamError(string? type, string? message)
    {
        message ??= "unknown error";
        return type switch
        {
            "overloaded_error" => new GatewayError(ErrorKind.UpstreamUnavailable, $"The provider is overloaded: {message}", "upstream_overloaded"),
            "rate_limit_error" => new GatewayError(ErrorKind.UpstreamError, $"The provider rate-limited the request: {message}", "upstream_rate_limited") { UpstreamStatus = 429 },
            _ => new GatewayError(ErrorKind.UpstreamError, $"The provider reported an error mid-stream ({type}): {message}", "upstream_stream_error"),
        };
    }
}
