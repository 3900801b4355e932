using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Bedrock.EventStream;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Protocol.Bedrock;

/// <summary>
/// Decodes Bedrock ConverseStream event-stream frames into canonical stream events.
/// <para>
/// <c>eventType</c> is the frame's <c>:event-type</c> (messageStart, contentBlockStart, contentBlockDelta,
/// contentBlockStop, messageStop, metadata) and <c>payload</c> its JSON payload. Exception frames do not fit that
/// pair, so by convention the caller passes <c>":exception:" + :exception-type</c> (for example
/// <c>:exception:throttlingException</c>) with the frame's payload; <see cref="EventTypeOf"/> builds exactly that,
/// and maps unmodeled <c>error</c> frames the same way using their <c>:error-code</c>.
/// </para>
/// <para>
/// Bedrock numbers content blocks itself but sends no start for text and reasoning blocks: they start on their first
/// delta. Canonical indexes are assigned in order of first appearance, one block open at a time. The reserved
/// structured-output tool (<see cref="AnthropicStructuredOutput.ToolName"/>) streams back as answer text.
/// </para>
/// </summary>
public sealed class ConverseStreamDecoder : IStreamDecoder
{
    /// <summary>The prefix of the event type that carries an exception frame's <c>:exception-type</c>.</summary>
    public const string ExceptionEventPrefix = ":exception:";

    private readonly Dictionary<int, int> _canonicalIndexes = [];
    private int _nextIndex;
    private int _openBedrockIndex = -1;
    private int _openIndex = -1;
    private int _structuredBedrockIndex = -1;
    private BlockKind _openKind;
    private bool _started;
    private bool _finished;

    private enum BlockKind
    {
        None,
        Text,
        Thinking,
        Tool,
    }

    /// <summary>The event type to pass to <see cref="Decode"/> for a frame, following the exception convention.</summary>
    public static string? EventTypeOf(in EventStreamMessage message) => message.MessageType switch
    {
        "exception" => ExceptionEventPrefix + (message.ExceptionType ?? "unknown"),
        "error" => ExceptionEventPrefix + (message.ErrorCode ?? "unknown"),
        _ => message.EventType,
    };

    /// <inheritdoc />
    public bool Decode(string? eventType, ReadOnlySpan<byte> payload, List<StreamEvent> output)
    {
        if (eventType is null)
        {
            return true;
        }

        if (eventType.StartsWith(ExceptionEventPrefix, StringComparison.Ordinal))
        {
            output.Add(new ErrorEvent(ConverseStreamExceptions.Map(eventType[ExceptionEventPrefix.Length..], payload)));
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            return DecodeEvent(eventType, document.RootElement, output);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <inheritdoc />
    public void Complete(List<StreamEvent> output) => CloseOpen(output);

    private bool DecodeEvent(string eventType, JsonElement root, List<StreamEvent> output)
    {
        switch (eventType)
        {
            case "messageStart":
                EnsureStarted(output);
                break;
            case "contentBlockStart":
                EnsureStarted(output);
                DecodeBlockStart(BlockIndex(root), root.GetProperty("start"), output);
                break;
            case "contentBlockDelta":
                EnsureStarted(output);
                DecodeDelta(BlockIndex(root), root.GetProperty("delta"), output);
                break;
            case "contentBlockStop":
                if (BlockIndex(root) == _openBedrockIndex)
                {
                    CloseOpen(output);
                }

                break;
            case "messageStop":
                EnsureStarted(output);
                CloseOpen(output);
                var finish = ConverseResponseDecoder.MapStop(ConverseResponseDecoder.Str(root, "stopReason"));
                output.Add(new FinishEvent(
                    _structuredBedrockIndex >= 0 && finish == FinishReason.ToolCalls ? FinishReason.Stop : finish,
                    ConverseResponseDecoder.AdditionalStopSequence(root)));
                _finished = true;
                break;
            case "metadata":
                if (root.TryGetProperty("usage", out var usage))
                {
                    output.Add(new UsageEvent(ConverseResponseDecoder.ReadUsage(usage)));
                }

                // Metadata follows messageStop and is the last event of a complete answer.
                return !_finished;
        }

        return true;
    }

    private void DecodeBlockStart(int bedrockIndex, JsonElement start, List<StreamEvent> output)
    {
        if (start.TryGetProperty("toolUse", out var toolUse) && !_canonicalIndexes.ContainsKey(bedrockIndex))
        {
            if (ConverseResponseDecoder.Str(toolUse, "name") == AnthropicStructuredOutput.ToolName)
            {
                // The forced structured-output tool streams its input: relay it as answer text.
                _structuredBedrockIndex = bedrockIndex;
                output.Add(new TextStartEvent(Open(bedrockIndex, BlockKind.Text, output)));
                return;
            }

            var index = Open(bedrockIndex, BlockKind.Tool, output);
            output.Add(new ToolCallStartEvent(
                index,
                ConverseResponseDecoder.Str(toolUse, "toolUseId") ?? RequestId.New("tooluse_"),
                ConverseResponseDecoder.Str(toolUse, "name") ?? string.Empty));
        }

        // Other starts (server tool results, images) are not carried; their deltas are ignored by kind below.
    }

    private void DecodeDelta(int bedrockIndex, JsonElement delta, List<StreamEvent> output)
    {
        if (delta.TryGetProperty("text", out var text))
        {
            if (Continue(bedrockIndex, BlockKind.Text, output) is { } index)
            {
                output.Add(new TextDeltaEvent(index, text.GetString() ?? string.Empty));
            }
        }
        else if (delta.TryGetProperty("toolUse", out var toolUse))
        {
            if (bedrockIndex == _structuredBedrockIndex)
            {
                if (bedrockIndex == _openBedrockIndex && ConverseResponseDecoder.Str(toolUse, "input") is { Length: > 0 } answer)
                {
                    output.Add(new TextDeltaEvent(_openIndex, answer));
                }
            }
            else if (Continue(bedrockIndex, BlockKind.Tool, output) is { } index
                && ConverseResponseDecoder.Str(toolUse, "input") is { Length: > 0 } fragment)
            {
                output.Add(new ToolArgumentsDeltaEvent(index, fragment));
            }
        }
        else if (delta.TryGetProperty("reasoningContent", out var reasoning))
        {
            DecodeReasoningDelta(bedrockIndex, reasoning, output);
        }
    }

    private void DecodeReasoningDelta(int bedrockIndex, JsonElement reasoning, List<StreamEvent> output)
    {
        if (ConverseResponseDecoder.Str(reasoning, "redactedContent") is { } redacted)
        {
            // Redacted reasoning arrives whole, as its own block.
            if (!_canonicalIndexes.ContainsKey(bedrockIndex))
            {
                var index = Open(bedrockIndex, BlockKind.Thinking, output);
                output.Add(new ThinkingStartEvent(index, redacted));
            }

            return;
        }

        if (Continue(bedrockIndex, BlockKind.Thinking, output) is not { } thinking)
        {
            return;
        }

        if (ConverseResponseDecoder.Str(reasoning, "text") is { } text)
        {
            output.Add(new ThinkingDeltaEvent(thinking, text));
        }
        else if (ConverseResponseDecoder.Str(reasoning, "signature") is { } signature)
        {
            output.Add(new SignatureDeltaEvent(thinking, signature));
        }
    }

    /// <summary>The canonical index for a delta of the given kind, opening the block on its first delta; null to drop it.</summary>
    private int? Continue(int bedrockIndex, BlockKind kind, List<StreamEvent> output)
    {
        if (bedrockIndex == _openBedrockIndex)
        {
            // A delta of another kind than its block's (a text delta inside a tool block) is not carried.
            return _openKind == kind ? _openIndex : null;
        }

        if (_canonicalIndexes.ContainsKey(bedrockIndex))
        {
            // The block was already closed.
            return null;
        }

        var index = Open(bedrockIndex, kind, output);
        output.Add(kind switch
        {
            BlockKind.Text => new TextStartEvent(index),
            BlockKind.Thinking => new ThinkingStartEvent(index),
            _ => new ToolCallStartEvent(index, RequestId.New("tooluse_"), string.Empty),
        });
        return index;
    }

    private int Open(int bedrockIndex, BlockKind kind, List<StreamEvent> output)
    {
        CloseOpen(output);
        var index = _nextIndex++;
        _canonicalIndexes[bedrockIndex] = index;
        _openBedrockIndex = bedrockIndex;
        _openIndex = index;
        _openKind = kind;
        return index;
    }

    private void CloseOpen(List<StreamEvent> output)
    {
        if (_openKind != BlockKind.None)
        {
            output.Add(new BlockStopEvent(_openIndex));
            _openKind = BlockKind.None;
            _openBedrockIndex = -1;
            _openIndex = -1;
        }
    }

    private void EnsureStarted(List<StreamEvent> output)
    {
        if (!_started)
        {
            _started = true;
            output.Add(new MessageStartEvent(RequestId.New(ConverseResponseDecoder.IdPrefix), string.Empty, default));
        }
    }

    private static int BlockIndex(JsonElement root)
    {
        var index = root.GetProperty("contentBlockIndex").GetInt32();
        return index >= 0 ? index : throw new FormatException("contentBlockIndex is negative.");
    }
}
