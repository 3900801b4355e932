using System.Text.Json;

namespace Gatehouse.IntegrationTests.Fakes;

/// <summary>Reads and checks Gemini <c>GenerateContentRequest</c> bodies for <see cref="FakeGemini"/>, with Google's messages.</summary>
internal static class FakeGeminiRequestReader
{
    private static readonly string[] KnownRequestFields =
        ["contents", "tools", "toolConfig", "safetySettings", "systemInstruction", "generationConfig", "cachedContent", "model"];

    private static readonly string[] KnownGenerationFields =
    [
        "stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema", "responseModalities", "candidateCount",
        "maxOutputTokens", "temperature", "topP", "topK", "seed", "presencePenalty", "frequencyPenalty", "responseLogprobs",
        "logprobs", "enableEnhancedCivicAnswers", "speechConfig", "thinkingConfig", "imageConfig", "mediaResolution",
    ];

    private static readonly string[] KnownPartFields =
    [
        "text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult",
        "thought", "thoughtSignature", "videoMetadata", "partMetadata", "mediaResolution",
    ];

    private static readonly string[] PartDataFields =
        ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"];

    /// <summary>Checks the request the way the real API does; returns Google's message for the first problem, or null.</summary>
    public static string? Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "Invalid JSON payload received. Expected an object.";
        }

        if (UnknownField(root, KnownRequestFields) is { } unknown)
        {
            return $"Invalid JSON payload received. Unknown name \"{unknown}\": Cannot find field.";
        }

        if (root.TryGetProperty("generationConfig", out var config) && UnknownField(config, KnownGenerationFields) is { } unknownConfig)
        {
            return $"Invalid JSON payload received. Unknown name \"{unknownConfig}\" at 'generation_config': Cannot find field.";
        }

        if (!root.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array || contents.GetArrayLength() == 0)
        {
            return "* GenerateContentRequest.contents: contents is not specified\n";
        }

        var c = 0;
        foreach (var content in contents.EnumerateArray())
        {
            if (ValidateContent(content, c++) is { } problem)
            {
                return problem;
            }
        }

        if (ToolMode(root) == "ANY" && FirstDeclaredFunction(root) is null)
        {
            return "* GenerateContentRequest.tool_config.function_calling_config.mode: function calling config is set without function_declarations.\n";
        }

        return null;
    }

    private static string? ValidateContent(JsonElement content, int c)
    {
        if (content.ValueKind != JsonValueKind.Object)
        {
            return $"Invalid JSON payload received. contents[{c}] must be an object.";
        }

        var role = Str(content, "role");
        if (role is not null and not "user" and not "model")
        {
            return "Please use a valid role: user, model.";
        }

        if (!content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() == 0)
        {
            return $"* GenerateContentRequest.contents[{c}].parts: contents.parts must not be empty.\n";
        }

        var p = 0;
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object)
            {
                return $"Invalid JSON payload received. contents[{c}].parts[{p}] must be an object.";
            }

            if (UnknownField(part, KnownPartFields) is { } unknown)
            {
                return $"Invalid JSON payload received. Unknown name \"{unknown}\" at 'contents[{c}].parts[{p}]': Cannot find field.";
            }

            var data = 0;
            foreach (var field in PartDataFields)
            {
                data += part.TryGetProperty(field, out _) ? 1 : 0;
            }

            if (data != 1)
            {
                return $"* GenerateContentRequest.contents[{c}].parts[{p}].data: required oneof field 'data' must have one initialized field\n";
            }

            foreach (var (field, wire) in (ReadOnlySpan<(string, string)>)[("functionCall", "function_call"), ("functionResponse", "function_response")])
            {
                if (part.TryGetProperty(field, out var function) && (function.ValueKind != JsonValueKind.Object || string.IsNullOrEmpty(Str(function, "name"))))
                {
                    return $"* GenerateContentRequest.contents[{c}].parts[{p}].{wire}.name: Name cannot be empty.\n";
                }
            }

            p++;
        }

        return null;
    }

    private static string? UnknownField(JsonElement obj, string[] known)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                return property.Name;
            }
        }

        return null;
    }

    /// <summary>The function the model must call: ANY mode forces the first allowed name, else the first declared one.</summary>
    public static string? ForcedFunction(JsonElement root)
    {
        if (ToolMode(root) != "ANY")
        {
            return null;
        }

        var config = root.GetProperty("toolConfig").GetProperty("functionCallingConfig");
        if (config.TryGetProperty("allowedFunctionNames", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && allowed.GetArrayLength() > 0 && allowed[0].ValueKind == JsonValueKind.String)
        {
            return allowed[0].GetString();
        }

        return FirstDeclaredFunction(root);
    }

    private static string? ToolMode(JsonElement root) =>
        root.TryGetProperty("toolConfig", out var toolConfig) && toolConfig.ValueKind == JsonValueKind.Object
        && toolConfig.TryGetProperty("functionCallingConfig", out var config) && config.ValueKind == JsonValueKind.Object
            ? Str(config, "mode")
            : null;

    private static string? FirstDeclaredFunction(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("functionDeclarations", out var declarations)
                && declarations.ValueKind == JsonValueKind.Array && declarations.GetArrayLength() > 0)
            {
                return Str(declarations[0], "name");
            }
        }

        return null;
    }

    /// <summary>The last text of the last user turn; if that turn holds only function responses, the last response's JSON.</summary>
    public static string LastUserText(JsonElement root)
    {
        var contents = root.GetProperty("contents");
        for (var c = contents.GetArrayLength() - 1; c >= 0; c--)
        {
            var content = contents[c];
            if (Str(content, "role") is "model")
            {
                continue;
            }

            string? response = null;
            var parts = content.GetProperty("parts");
            for (var p = parts.GetArrayLength() - 1; p >= 0; p--)
            {
                if (Str(parts[p], "text") is { } text)
                {
                    return text;
                }

                if (response is null && parts[p].TryGetProperty("functionResponse", out var function) && function.TryGetProperty("response", out var value))
                {
                    response = value.GetRawText();
                }
            }

            return response ?? string.Empty;
        }

        return string.Empty;
    }

    /// <summary>Counts the words of every text part of the system instruction and the contents.</summary>
    public static int CountPromptWords(JsonElement root)
    {
        var words = 0;
        if (root.TryGetProperty("systemInstruction", out var system) && system.ValueKind == JsonValueKind.Object
            && system.TryGetProperty("parts", out var systemParts) && systemParts.ValueKind == JsonValueKind.Array)
        {
            words += CountPartWords(systemParts);
        }

        foreach (var content in root.GetProperty("contents").EnumerateArray())
        {
            words += CountPartWords(content.GetProperty("parts"));
        }

        return words;
    }

    private static int CountPartWords(JsonElement parts)
    {
        var words = 0;
        foreach (var part in parts.EnumerateArray())
        {
            words += part.ValueKind == JsonValueKind.Object && Str(part, "text") is { } text ? CountWords(text) : 0;
        }

        return words;
    }

    /// <summary>Counts whitespace-separated words.</summary>
    public static int CountWords(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>A string property, or null when absent or not a string.</summary>
    public static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
