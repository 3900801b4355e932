using System.Buffers;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>Encodes canonical stream events as the Anthropic Messages event sequence (message_start … message_stop).</summary>
public sealed class AnthropicStreamEncoder : IStreamEncoder
{
    private string _model;
    private readonly Dictionary<int, int> _indexes = [];
    private int _nextIndex;
    private bool _started;
    private Usage _usage;
    private FinishReason _finish = FinishReason.Stop;
    private string? _stopSequence;

    /// <summary>Creates an encoder; <paramref name="model"/> is reported until the upstream names its model at message start.</summary>
    public AnthropicStreamEncoder(string model) => _model = model;

    /// <inheritdoc />
    public void Write(StreamEvent streamEvent, IBufferWriter<byte> output)
    {
        switch (streamEvent)
        {
            case MessageStartEvent start:
                _usage = start.Usage;
                _model = start.Model.Length > 0 ? start.Model : _model;
                WriteMessageStart(output, start.Id);
                break;
            case TextStartEvent text:
                EnsureStarted(output);
                WriteEvent(output, "content_block_start", Map(text.Index), static (w, _) =>
                {
                    w.WriteStartObject("content_block");
                    w.WriteString("type", "text");
                    w.WriteString("text", string.Empty);
                    w.WriteEndObject();
                }, 0);
                break;
            case ThinkingStartEvent thinking:
                EnsureStarted(output);
                WriteEvent(output, "content_block_start", Map(thinking.Index), static (w, data) =>
                {
                    w.WriteStartObject("content_block");
                    if (data is null)
                    {
                        w.WriteString("type", "thinking");
                        w.WriteString("thinking", string.Empty);
                        w.WriteString("signature", string.Empty);
                    }
                    else
                    {
                        w.WriteString("type", "redacted_thinking");
                        w.WriteString("data", data);
                    }

                    w.WriteEndObject();
                }, thinking.RedactedData);
                break;
            case ToolCallStartEvent tool:
                EnsureStarted(output);
                if (tool.ThoughtSignature is { } thoughtSignature)
                {
                    WriteSignatureCarrier(output, thoughtSignature);
                }

                WriteEvent(output, "content_block_start", Map(tool.Index), static (w, t) =>
                {
                    w.WriteStartObject("content_block");
                    w.WriteString("type", "tool_use");
                    w.WriteString("id", t.Id);
                    w.WriteString("name", t.Name);
                    w.WriteStartObject("input");
                    w.WriteEndObject();
                    w.WriteEndObject();
                }, tool);
                break;
            case TextDeltaEvent text:
                WriteDelta(output, text.Index, "text_delta", "text", text.Text);
                break;
            case ThinkingDeltaEvent thinking:
                WriteDelta(output, thinking.Index, "thinking_delta", "thinking", thinking.Text);
                break;
            case SignatureDeltaEvent signature:
                WriteDelta(output, signature.Index, "signature_delta", "signature", signature.Signature);
                break;
            case ToolArgumentsDeltaEvent args:
                WriteDelta(output, args.Index, "input_json_delta", "partial_json", args.JsonFragment);
                break;
            case BlockStopEvent stop when _indexes.TryGetValue(stop.Index, out var index):
                WriteEvent(output, "content_block_stop", index, static (_, _) => { }, 0);
                break;
            case FinishEvent finish:
                _finish = finish.Reason;
                _stopSequence = finish.StopSequence;
                break;
            case UsageEvent usage:
                _usage = _usage.MergeMax(usage.Usage);
                break;
        }
    }

    /// <inheritdoc />
    public void Complete(IBufferWriter<byte> output)
    {
        EnsureStarted(output);
        WriteRaw(output, "message_delta", writer =>
        {
            writer.WriteString("type", "message_delta");
            writer.WriteStartObject("delta");
            writer.WriteString("stop_reason", AnthropicResponseEncoder.StopString(_finish, _stopSequence));
            if (_stopSequence is null)
            {
                writer.WriteNull("stop_sequence");
            }
            else
            {
                writer.WriteString("stop_sequence", _stopSequence);
            }

            writer.WriteEndObject();
            AnthropicResponseEncoder.WriteUsage(writer, _usage);
        });
        WriteRaw(output, "message_stop", static writer => writer.WriteString("type", "message_stop"));
    }

    /// <inheritdoc />
    public void WriteError(GatewayError error, IBufferWriter<byte> output)
    {
        output.Write("event: error\ndata: "u8);
        AnthropicErrorWriter.Write(error, output);
        output.Write("\n\n"u8);
    }

    private void EnsureStarted(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            WriteMessageStart(output, RequestId.New("msg_"));
        }
    }

    private void WriteMessageStart(IBufferWriter<byte> output, string id)
    {
        _started = true;
        WriteRaw(output, "message_start", writer =>
        {
            writer.WriteString("type", "message_start");
            writer.WriteStartObject("message");
            writer.WriteString("id", id.StartsWith("msg_", StringComparison.Ordinal) ? id : "msg_" + id);
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteString("model", _model);
            writer.WriteStartArray("content");
            writer.WriteEndArray();
            writer.WriteNull("stop_reason");
            writer.WriteNull("stop_sequence");
            AnthropicResponseEncoder.WriteUsage(writer, _usage);
            writer.WriteEndObject();
        });
        output.Write("event: ping\ndata: {\"type\": \"ping\"}\n\n"u8);
    }

    private void WriteSignatureCarrier(IBufferWriter<byte> output, string signature)
    {
        var index = _nextIndex++;
        WriteEvent(output, "content_block_start", index, static (w, _) =>
        {
            w.WriteStartObject("content_block");
            w.WriteString("type", "thinking");
            w.WriteString("thinking", string.Empty);
            w.WriteString("signature", string.Empty);
            w.WriteEndObject();
        }, 0);
        WriteEvent(output, "content_block_delta", index, static (w, s) =>
        {
            w.WriteStartObject("delta");
            w.WriteString("type", "signature_delta");
            w.WriteString("signature", GeminiSignatureMarker.Wrap(s));
            w.WriteEndObject();
        }, signature);
        WriteEvent(output, "content_block_stop", index, static (_, _) => { }, 0);
    }

    private int Map(int canonicalIndex)
    {
        var index = _nextIndex++;
        _indexes[canonicalIndex] = index;
        return index;
    }

    private void WriteDelta(IBufferWriter<byte> output, int canonicalIndex, string type, string field, string value)
    {
        if (!_indexes.TryGetValue(canonicalIndex, out var index))
        {
            return;
        }

        WriteEvent(output, "content_block_delta", index, static (w, s) =>
        {
            w.WriteStartObject("delta");
            w.WriteString("type", s.type);
            w.WriteString(s.field, s.value);
            w.WriteEndObject();
        }, (type, field, value));
    }

    private static void WriteEvent<TState>(IBufferWriter<byte> output, string name, int index, Action<Utf8JsonWriter, TState> body, TState state)
    {
        output.Write("event: "u8);
        WriteAscii(output, name);
        output.Write("\ndata: "u8);
        using (var writer = new Utf8JsonWriter(output, JsonWriting.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("type", name);
            writer.WriteNumber("index", index);
            body(writer, state);
            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    private static void WriteRaw(IBufferWriter<byte> output, string name, Action<Utf8JsonWriter> body)
    {
        output.Write("event: "u8);
        WriteAscii(output, name);
        output.Write("\ndata: "u8);
        using (var writer = new Utf8JsonWriter(output, JsonWriting.Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        output.Advance(text.Length);
    }
}
