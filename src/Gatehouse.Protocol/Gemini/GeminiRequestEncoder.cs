using System.Buffers;
using System.Text.Json;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Gemini;

/// <summary>Encodes the canonical request as a Gemini <c>GenerateContentRequest</c> body (the model goes in the URL).</summary>
public static class GeminiRequestEncoder
{
    /// <summary>Writes the body.</summary>
    /// <exception cref="Core.GatewayException">A tool result answers no earlier tool call, so its function name is unknown (400).</exception>
    public static void Encode(ChatRequest request, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        GeminiContentWriter.WriteContents(writer, request.Messages);
        WriteSystemInstruction(writer, request.Messages);
        if (request.Tools.Count > 0)
        {
            WriteTools(writer, request.Tools);
            if (request.ToolChoice is { } choice)
            {
                WriteToolConfig(writer, choice);
            }
        }

        WriteGenerationConfig(writer, request);
        if (request.SourceDialect == Dialect.Gemini)
        {
            foreach (var (name, value) in request.Extra)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteSystemInstruction(Utf8JsonWriter writer, List<ChatMessage> messages)
    {
        var open = false;
        foreach (var message in messages)
        {
            if (message.Role != Role.System)
            {
                continue;
            }

            foreach (var part in message.Parts)
            {
                if (part is not TextPart { Text.Length: > 0 } text)
                {
                    continue;
                }

                if (!open)
                {
                    writer.WriteStartObject("systemInstruction");
                    writer.WriteStartArray("parts");
                    open = true;
                }

                writer.WriteStartObject();
                writer.WriteString("text", text.Text);
                writer.WriteEndObject();
            }
        }

        if (open)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, List<ToolDefinition> tools)
    {
        writer.WriteStartArray("tools");
        writer.WriteStartObject();
        writer.WriteStartArray("functionDeclarations");
        foreach (var tool in tools)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tool.Name);
            if (tool.Description is not null)
            {
                writer.WriteString("description", tool.Description);
            }

            // parametersJsonSchema takes full JSON Schema, unlike the OpenAPI subset of "parameters".
            writer.WritePropertyName("parametersJsonSchema");
            writer.WriteRawValue(tool.ParametersJson, skipInputValidation: true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteToolConfig(Utf8JsonWriter writer, ToolChoice choice)
    {
        writer.WriteStartObject("toolConfig");
        writer.WriteStartObject("functionCallingConfig");
        writer.WriteString("mode", choice.Mode switch
        {
            ToolChoiceMode.None => "NONE",
            ToolChoiceMode.Required or ToolChoiceMode.Function => "ANY",
            _ => "AUTO",
        });
        if (choice.Mode == ToolChoiceMode.Function && choice.FunctionName is not null)
        {
            writer.WriteStartArray("allowedFunctionNames");
            writer.WriteStringValue(choice.FunctionName);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteGenerationConfig(Utf8JsonWriter writer, ChatRequest request)
    {
        var budget = request.ThinkingBudget ?? BudgetForEffort(request.ReasoningEffort);
        var format = request.ResponseFormat?.Kind is ResponseFormatKind.JsonObject or ResponseFormatKind.JsonSchema ? request.ResponseFormat : null;
        if (request.Temperature is null && request.TopP is null && request.TopK is null && request.MaxTokens is null
            && request.Stop.Count == 0 && request.Seed is null && format is null && budget is null)
        {
            return;
        }

        writer.WriteStartObject("generationConfig");
        if (request.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature", temperature);
        }

        if (request.TopP is { } topP)
        {
            writer.WriteNumber("topP", topP);
        }

        if (request.TopK is { } topK)
        {
            writer.WriteNumber("topK", topK);
        }

        if (request.MaxTokens is { } max)
        {
            writer.WriteNumber("maxOutputTokens", max);
        }

        if (request.Stop.Count > 0)
        {
            writer.WriteStartArray("stopSequences");
            foreach (var stop in request.Stop)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (request.Seed is { } seed)
        {
            // Gemini's seed is an int32; a wider seed keeps its low 32 bits so equal seeds stay equal.
            writer.WriteNumber("seed", unchecked((int)seed));
        }

        if (format is not null)
        {
            writer.WriteString("responseMimeType", "application/json");
            if (format.Kind == ResponseFormatKind.JsonSchema && format.SchemaJson is not null)
            {
                writer.WritePropertyName("responseJsonSchema");
                writer.WriteRawValue(format.SchemaJson, skipInputValidation: true);
            }
        }

        if (budget is { } thinking)
        {
            writer.WriteStartObject("thinkingConfig");
            writer.WriteNumber("thinkingBudget", thinking);
            writer.WriteBoolean("includeThoughts", true);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Maps an OpenAI reasoning effort to the budgets Google's own OpenAI-compatible endpoint uses.</summary>
    private static int? BudgetForEffort(string? effort) => effort switch
    {
        "low" => 1024,
        "medium" => 8192,
        "high" => 24576,
        _ => null,
    };
}
