using System.Text.Json;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>
/// Structured output on Anthropic, which has no response_format: the schema becomes a reserved tool the model is
/// forced to call, and that call comes back to the client as the JSON text of the answer.
/// When forcing is impossible (the client brought its own tools or enabled thinking) the schema becomes a system instruction.
/// </summary>
public static class AnthropicStructuredOutput
{
    /// <summary>The reserved tool name; a tool_use with this name is turned back into text.</summary>
    public const string ToolName = "gatehouse_json_response";

    /// <summary>The reserved tool's description, which tells the model to answer through it.</summary>
    public const string ToolDescription = "Give the final answer by calling this tool with the answer as its input, matching the schema exactly.";

    /// <summary>How the request's response format is carried to Anthropic.</summary>
    public static StructuredOutputMode ModeFor(ChatRequest request) => request.ResponseFormat?.Kind switch
    {
        null or ResponseFormatKind.Text => StructuredOutputMode.None,
        _ when request.Tools.Count == 0 && request.ThinkingBudget is null => StructuredOutputMode.ForcedTool,
        _ => StructuredOutputMode.Instruction,
    };

    /// <summary>The JSON schema to enforce (an object schema for json_object).</summary>
    public static string Schema(ChatRequest request) =>
        request.ResponseFormat?.Kind == ResponseFormatKind.JsonSchema && request.ResponseFormat.SchemaJson is { } schema
            ? schema
            : """{"type":"object"}""";

    /// <summary>Writes the reserved tool definition.</summary>
    public static void WriteTool(Utf8JsonWriter writer, ChatRequest request)
    {
        writer.WriteStartObject();
        writer.WriteString("name", ToolName);
        writer.WriteString("description", ToolDescription);
        writer.WritePropertyName("input_schema");
        writer.WriteRawValue(Schema(request), skipInputValidation: true);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Turns calls of the reserved tool in a decoded answer back into the answer text, in place, and returns the
    /// finish reason the client should see (a stop, not a tool call, when the reserved tool answered).
    /// </summary>
    public static FinishReason UnwrapAnswer(List<ContentPart> parts, FinishReason finish)
    {
        var structured = false;
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is ToolCallPart { Name: ToolName } answer)
            {
                parts[i] = new TextPart(answer.ArgumentsJson);
                structured = true;
            }
        }

        return structured && finish == FinishReason.ToolCalls ? FinishReason.Stop : finish;
    }

    /// <summary>The system instruction used when the tool cannot be forced.</summary>
    public static string Instruction(ChatRequest request) =>
        $"Respond only with a single JSON value that matches this JSON Schema, with no other text: {Compact(Schema(request))}";

    /// <summary>The schema without insignificant whitespace, as it should read inside a prompt.</summary>
    private static string Compact(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new Json.PooledBufferWriter(json.Length);
            using (var writer = new Utf8JsonWriter(buffer, Json.JsonWriting.Options))
            {
                document.RootElement.WriteTo(writer);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}

/// <summary>How a structured-output request is carried to Anthropic.</summary>
public enum StructuredOutputMode
{
    /// <summary>No structured output was requested.</summary>
    None,

    /// <summary>A reserved tool is forced.</summary>
    ForcedTool,

    /// <summary>A system instruction carries the schema.</summary>
    Instruction,
}
