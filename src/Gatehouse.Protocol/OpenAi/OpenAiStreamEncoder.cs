using System.Buffers;
using System.Text;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.Streaming;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>Encodes canonical stream events as OpenAI <c>chat.completion.chunk</c> SSE events.</summary>
public sealed class OpenAiStreamEncoder : IStreamEncoder
{
    private string _model;
    private readonly long _created;
    private readonly bool _includeUsage;
    private readonly Dictionary<int, int> _toolIndexes = [];
    private readonly Dictionary<int, StringBuilder> _thinking = [];
    private string _id = string.Empty;
    private Usage _usage;

    /// <summary>Creates an encoder; <paramref name="model"/> is reported until the upstream names its model at message start.</summary>
    public OpenAiStreamEncoder(string model, long created, bool includeUsage)
    {
        _model = model;
        _created = created;
        _includeUsage = includeUsage;
    }

    /// <inheritdoc />
    public void Write(StreamEvent streamEvent, IBufferWriter<byte> output)
    {
        switch (streamEvent)
        {
            case MessageStartEvent start:
                _id = start.Id;
                _model = start.Model.Length > 0 ? start.Model : _model;
                _usage = start.Usage;
                WriteChunk(output, static (w, _) =>
                {
                    w.WriteString("role", "assistant");
                    w.WriteString("content", string.Empty);
                }, 0);
                break;
            case TextDeltaEvent textDelta:
                WriteChunk(output, static (w, t) => w.WriteString("content", t), textDelta.Text);
                break;
            case ThinkingStartEvent thinking:
                _thinking[thinking.Index] = new StringBuilder();
                if (thinking.RedactedData is { } redacted)
                {
                    WriteChunk(output, static (w, data) => WriteThinkingBlock(w, null, null, data), redacted);
                }

                break;
            case ThinkingDeltaEvent thinking:
                if (_thinking.TryGetValue(thinking.Index, out var builder))
                {
                    builder.Append(thinking.Text);
                }

                WriteChunk(output, static (w, t) => w.WriteString("reasoning_content", t), thinking.Text);
                break;
            case SignatureDeltaEvent signature:
                var text = _thinking.TryGetValue(signature.Index, out var b) ? b.ToString() : string.Empty;
                WriteChunk(output, static (w, s) => WriteThinkingBlock(w, s.text, s.Signature, null), (text, signature.Signature));
                break;
            case ToolCallStartEvent tool:
                var toolIndex = _toolIndexes.Count;
                _toolIndexes[tool.Index] = toolIndex;
                WriteChunk(output, static (w, s) => WriteToolStart(w, s.tool, s.toolIndex), (tool, toolIndex));
                break;
            case ToolArgumentsDeltaEvent args when _toolIndexes.TryGetValue(args.Index, out var index):
                WriteChunk(output, static (w, s) => WriteToolArgs(w, s.index, s.JsonFragment), (index, args.JsonFragment));
                break;
            case FinishEvent finish:
                WriteChunk(output, static (_, _) => { }, 0, OpenAiChatResponseEncoder.FinishString(finish.Reason));
                break;
            case UsageEvent usage:
                _usage = _usage.MergeMax(usage.Usage);
                break;
        }
    }

    /// <inheritdoc />
    public void Complete(IBufferWriter<byte> output)
    {
        if (_includeUsage)
        {
            WriteData(output, writer =>
            {
                WriteEnvelope(writer);
                writer.WriteStartArray("choices");
                writer.WriteEndArray();
                OpenAiChatResponseEncoder.WriteUsage(writer, _usage);
                writer.WriteEndObject();
            });
        }

        output.Write("data: [DONE]\n\n"u8);
    }

    /// <inheritdoc />
    public void WriteError(GatewayError error, IBufferWriter<byte> output)
    {
        WriteData(output, writer => OpenAiErrorWriter.WriteErrorObject(writer, error));
        output.Write("data: [DONE]\n\n"u8);
    }

    private static void WriteThinkingBlock(Utf8JsonWriter writer, string? text, string? signature, string? redacted)
    {
        writer.WriteStartArray("thinking_blocks");
        writer.WriteStartObject();
        if (redacted is not null)
        {
            writer.WriteString("type", "redacted_thinking");
            writer.WriteString("data", redacted);
        }
        else
        {
            writer.WriteString("type", "thinking");
            writer.WriteString("thinking", text);
            writer.WriteString("signature", signature);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteToolStart(Utf8JsonWriter writer, ToolCallStartEvent tool, int index)
    {
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        writer.WriteString("id", tool.Id);
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", tool.Name);
        writer.WriteString("arguments", string.Empty);
        writer.WriteEndObject();
        OpenAiAssistantWriter.WriteThoughtSignature(writer, tool.ThoughtSignature);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteToolArgs(Utf8JsonWriter writer, int index, string fragment)
    {
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        writer.WriteStartObject("function");
        writer.WriteString("arguments", fragment);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private void WriteChunk<TState>(IBufferWriter<byte> output, Action<Utf8JsonWriter, TState> writeDelta, TState state, string? finishReason = null)
    {
        output.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(output, JsonWriting.Options))
        {
            WriteEnvelope(writer);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            writeDelta(writer, state);
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            if (finishReason is null)
            {
                writer.WriteNull("finish_reason");
            }
            else
            {
                writer.WriteString("finish_reason", finishReason);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    private void WriteEnvelope(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", _id);
        writer.WriteString("object", "chat.completion.chunk");
        writer.WriteNumber("created", _created);
        writer.WriteString("model", _model);
    }

    private static void WriteData(IBufferWriter<byte> output, Action<Utf8JsonWriter> write)
    {
        output.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(output, JsonWriting.Options))
        {
            write(writer);
        }

        output.Write("\n\n"u8);
    }
}
