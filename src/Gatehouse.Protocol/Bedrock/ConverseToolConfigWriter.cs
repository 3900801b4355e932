using System.Text.Json;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Bedrock;

/// <summary>Writes the Converse <c>toolConfig</c>: the offered tools, the tool choice, and the structured-output tool.</summary>
internal static class ConverseToolConfigWriter
{
    private const string HistoryToolDescription = "A tool used earlier in this conversation.";
    private const string EmptySchema = """{"type":"object","properties":{}}""";

    /// <summary>Writes <c>toolConfig</c> when the request needs one; <paramref name="forceStructuredOutput"/> forces the reserved answer tool.</summary>
    public static void Write(Utf8JsonWriter writer, ChatRequest request, bool forceStructuredOutput)
    {
        // Bedrock rejects toolUse/toolResult blocks unless toolConfig is present, even when no tool is offered now.
        var toolHistory = HasToolHistory(request.Messages);
        if (forceStructuredOutput)
        {
            // The client brought no tools (or it would not be forced): the reserved tool is the only one offered.
            writer.WriteStartObject("toolConfig");
            writer.WriteStartArray("tools");
            WriteToolSpec(writer, AnthropicStructuredOutput.ToolName, AnthropicStructuredOutput.ToolDescription, AnthropicStructuredOutput.Schema(request));
            WriteHistoryToolSpecs(writer, request.Messages, placeholder: false);
            writer.WriteEndArray();
            writer.WriteStartObject("toolChoice");
            writer.WriteStartObject("tool");
            writer.WriteString("name", AnthropicStructuredOutput.ToolName);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            return;
        }

        var mode = request.ToolChoice?.Mode;
        if ((request.Tools.Count == 0 || mode == ToolChoiceMode.None) && !toolHistory)
        {
            // Converse has no "none" choice: not offering the tools is how the model is kept from calling them.
            return;
        }

        writer.WriteStartObject("toolConfig");
        writer.WriteStartArray("tools");
        if (request.Tools.Count > 0)
        {
            foreach (var tool in request.Tools)
            {
                WriteToolSpec(writer, tool.Name, tool.Description, tool.ParametersJson);
                ConverseContentWriter.WriteCachePoint(writer, tool.CacheControlJson);
            }
        }
        else
        {
            WriteHistoryToolSpecs(writer, request.Messages, placeholder: true);
        }

        writer.WriteEndArray();
        if (request.Tools.Count > 0 && mode is ToolChoiceMode.Auto or ToolChoiceMode.Required or ToolChoiceMode.Function)
        {
            writer.WriteStartObject("toolChoice");
            switch (mode)
            {
                case ToolChoiceMode.Required:
                    writer.WriteStartObject("any");
                    break;
                case ToolChoiceMode.Function:
                    writer.WriteStartObject("tool");
                    writer.WriteString("name", request.ToolChoice!.FunctionName);
                    break;
                default:
                    writer.WriteStartObject("auto");
                    break;
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteToolSpec(Utf8JsonWriter writer, string name, string? description, string schemaJson)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("toolSpec");
        writer.WriteString("name", name);
        if (description is not null)
        {
            writer.WriteString("description", description);
        }

        writer.WriteStartObject("inputSchema");
        writer.WritePropertyName("json");
        writer.WriteRawValue(schemaJson, skipInputValidation: true);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Declares by name each tool the history used, so Bedrock accepts a history the client offers no tools for.</summary>
    private static void WriteHistoryToolSpecs(Utf8JsonWriter writer, List<ChatMessage> messages, bool placeholder)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            foreach (var part in message.Parts)
            {
                if (part is ToolCallPart call && call.Name != AnthropicStructuredOutput.ToolName && seen.Add(call.Name))
                {
                    WriteToolSpec(writer, call.Name, HistoryToolDescription, EmptySchema);
                }
            }
        }

        if (seen.Count == 0 && placeholder)
        {
            // Only tool results without their calls: one placeholder keeps the tools list valid (it needs one entry).
            WriteToolSpec(writer, "tool_history", HistoryToolDescription, EmptySchema);
        }
    }

    private static bool HasToolHistory(List<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            foreach (var part in message.Parts)
            {
                if (part is ToolCallPart or ToolResultPart)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
