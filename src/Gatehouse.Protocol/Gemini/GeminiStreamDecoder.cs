using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Protocol.Gemini;

/// <summary>
/// Decodes <c>streamGenerateContent?alt=sse</c> events, each a whole <c>GenerateContentResponse</c> chunk,
/// into canonical stream events.
/// </summary>
public sealed class GeminiStreamDecoder : IStreamDecoder
{
    private readonly BlockTracker _blocks = new();
    private int _toolCalls;
    private int _signedBlock = -1;
    private bool _started;
    private bool _finished;

    /// <inheritdoc />
    public bool Decode(string? eventType, ReadOnlySpan<byte> payload, List<StreamEvent> output)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            return DecodeChunk(document.RootElement, output);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <inheritdoc />
    public void Complete(List<StreamEvent> output)
    {
        _blocks.Close(output);
        if (_started && !_finished)
        {
            output.Add(new FinishEvent(_toolCalls > 0 ? FinishReason.ToolCalls : FinishReason.Stop));
            _finished = true;
        }
    }

    private bool DecodeChunk(JsonElement root, List<StreamEvent> output)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("A stream chunk is not a JSON object.");
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            _blocks.Close(output);
            output.Add(new ErrorEvent(MapStreamError(error)));
            return false;
        }

        if (!_started)
        {
            _started = true;
            output.Add(new MessageStartEvent(
                GeminiResponseDecoder.Str(root, "responseId") ?? RequestId.New("gen_"),
                GeminiResponseDecoder.Str(root, "modelVersion") ?? string.Empty,
                default));
        }

        if (!GeminiResponseDecoder.TryFirstCandidate(root, out var candidate))
        {
            if (GeminiResponseDecoder.BlockReason(root) is { } reason)
            {
                output.Add(new ErrorEvent(GeminiResponseDecoder.Blocked(reason)));
                return false;
            }
        }
        else
        {
            if (candidate.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
                && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in parts.EnumerateArray())
                {
                    DecodePart(part, output);
                }
            }

            if (GeminiResponseDecoder.Str(candidate, "finishReason") is { } finish && !_finished)
            {
                _blocks.Close(output);
                output.Add(new FinishEvent(GeminiResponseDecoder.MapFinish(finish, _toolCalls > 0)));
                _finished = true;
            }
        }

        if (root.TryGetProperty("usageMetadata", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            output.Add(new UsageEvent(GeminiResponseDecoder.ReadUsage(usage)));
        }

        return true;
    }

    private void DecodePart(JsonElement part, List<StreamEvent> output)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("A part is not a JSON object.");
        }

        var signature = GeminiResponseDecoder.Str(part, "thoughtSignature");
        if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object)
        {
            // Gemini sends a function call whole, in one chunk: one start and one arguments delta.
            var index = _blocks.StartTool(
                _toolCalls++,
                GeminiResponseDecoder.Str(call, "id") ?? RequestId.New("call_"),
                GeminiResponseDecoder.Str(call, "name") ?? throw new InvalidOperationException("A functionCall has no name."),
                signature,
                output);
            output.Add(new ToolArgumentsDeltaEvent(index, GeminiResponseDecoder.ArgumentsJson(call)));
            return;
        }

        var text = GeminiResponseDecoder.Str(part, "text");
        if (GeminiResponseDecoder.IsThought(part))
        {
            if (text is { Length: > 0 })
            {
                output.Add(new ThinkingDeltaEvent(Thinking(output), text));
            }

            if (signature is not null)
            {
                Sign(Thinking(output), signature, output);
            }

            return;
        }

        if (signature is not null)
        {
            // As in the non-streamed answer: a signature on plain text rides in its own empty thinking block
            // just before the text, so it goes back on that text part next turn.
            _blocks.Close(output);
            Sign(Thinking(output), signature, output);
        }

        if (text is { Length: > 0 })
        {
            output.Add(new TextDeltaEvent(_blocks.Text(output), text));
        }
    }

    /// <summary>The open thinking block; a signed block is complete, so later reasoning starts a new one.</summary>
    private int Thinking(List<StreamEvent> output)
    {
        var index = _blocks.Thinking(output);
        if (index == _signedBlock)
        {
            _blocks.Close(output);
            index = _blocks.Thinking(output);
        }

        return index;
    }

    private void Sign(int index, string signature, List<StreamEvent> output)
    {
        output.Add(new SignatureDeltaEvent(index, signature));
        _signedBlock = index;
    }

    /// <summary>Maps a Google error object (<c>{code, message, status}</c>) sent in the stream.</summary>
    internal static GatewayError MapStreamError(JsonElement error)
    {
        var status = GeminiResponseDecoder.Str(error, "status");
        var message = GeminiResponseDecoder.Str(error, "message") ?? "unknown error";
        return status switch
        {
            "RESOURCE_EXHAUSTED" => new GatewayError(ErrorKind.UpstreamError, $"The provider rate-limited the request: {message}", "upstream_rate_limited") { UpstreamStatus = 429 },
            "UNAVAILABLE" => new GatewayError(ErrorKind.UpstreamUnavailable, $"The provider is overloaded: {message}", "upstream_overloaded"),
            "DEADLINE_EXCEEDED" => new GatewayError(ErrorKind.UpstreamTimeout, $"The provider timed out: {message}", "upstream_timeout"),
            _ => new GatewayError(ErrorKind.UpstreamError, $"The provider reported an error mid-stream ({status}): {message}", "upstream_stream_error"),
        };
    }
}
