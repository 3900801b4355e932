using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>Decodes an OpenAI Chat Completions request body into the canonical request, validating every field it models.</summary>
public static class OpenAiChatRequestDecoder
{
    private static readonly HashSet<string> Modelled =
    [
        "model", "messages", "tools", "tool_choice", "parallel_tool_calls", "response_format", "max_tokens",
        "max_completion_tokens", "temperature", "top_p", "top_k", "stop", "seed", "user", "stream", "stream_options",
        "reasoning_effort", "thinking",
    ];

    /// <summary>Decodes a request body. Throws <see cref="GatewayException"/> with a 400 error on bad input.</summary>
    public static ChatRequest Decode(ReadOnlyMemory<byte> body)
    {
        using var document = JsonRead.Parse(body);
        var root = document.RootElement;
        JsonRead.RequireObject(root, "body");

        var request = new ChatRequest
        {
            Model = JsonRead.RequiredModel(root),
            SourceDialect = Dialect.OpenAiChat,
        };

        var messages = JsonRead.OptionalArray(root, "messages", string.Empty)
            ?? throw JsonRead.Invalid("'messages' is required: send an array of {role, content} objects.", "messages");
        if (messages.GetArrayLength() == 0)
        {
            throw JsonRead.Invalid("'messages' must contain at least one message.", "messages");
        }

        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            request.Messages.Add(DecodeMessage(message, $"messages[{i++}]"));
        }

        DecodeTools(root, request);
        request.ResponseFormat = DecodeResponseFormat(root);
        request.MaxTokens = JsonRead.OptionalInt(root, "max_completion_tokens", string.Empty, 1)
            ?? JsonRead.OptionalInt(root, "max_tokens", string.Empty, 1);
        request.Temperature = JsonRead.OptionalNumber(root, "temperature", string.Empty, 0, 2);
        request.TopP = JsonRead.OptionalNumber(root, "top_p", string.Empty, 0, 1);
        request.TopK = JsonRead.OptionalInt(root, "top_k", string.Empty, 0);
        JsonRead.StringOrArray(root, "stop", string.Empty, request.Stop);
        request.Seed = JsonRead.OptionalLong(root, "seed", string.Empty);
        request.User = JsonRead.OptionalString(root, "user", string.Empty);
        request.Stream = JsonRead.OptionalBool(root, "stream", string.Empty) ?? false;
        request.ReasoningEffort = JsonRead.OptionalString(root, "reasoning_effort", string.Empty);
        if (JsonRead.OptionalObject(root, "stream_options", string.Empty) is { } streamOptions)
        {
            request.IncludeUsage = JsonRead.OptionalBool(streamOptions, "include_usage", "stream_options") ?? false;
        }

        if (JsonRead.OptionalObject(root, "thinking", string.Empty) is { } thinking
            && JsonRead.OptionalString(thinking, "type", "thinking") == "enabled")
        {
            request.ThinkingBudget = JsonRead.OptionalInt(thinking, "budget_tokens", "thinking", 1) ?? 1024;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!Modelled.Contains(property.Name))
            {
                request.Extra[property.Name] = property.Value.Clone();
            }
        }

        return request;
    }

    private static ChatMessage DecodeMessage(JsonElement message, string path)
    {
        JsonRead.RequireObject(message, path);
        var role = JsonRead.RequiredString(message, "role", path);
        var name = JsonRead.OptionalString(message, "name", path);
        switch (role)
        {
            case "system":
            case "developer":
                return new ChatMessage(Role.System, DecodeContent(message, path, allowImages: false, required: true))
                {
                    Name = name,
                    IsDeveloper = role == "developer",
                };
            case "user":
                return new ChatMessage(Role.User, DecodeContent(message, path, allowImages: true, required: true)) { Name = name };
            case "assistant":
                return DecodeAssistant(message, path, name);
            case "tool":
                var callId = JsonRead.RequiredString(message, "tool_call_id", path);
                var result = new ToolResultPart
                {
                    ToolCallId = callId,
                    Content = DecodeContent(message, path, allowImages: true, required: true),
                };
                return new ChatMessage(Role.Tool, [result]);
            case "function":
                throw JsonRead.Invalid($"'{path}.role' \"function\" is deprecated; send tool results with role \"tool\" and a tool_call_id.", $"{path}.role");
            default:
                throw JsonRead.Invalid($"'{path}.role' must be one of system, developer, user, assistant or tool; got \"{role}\".", $"{path}.role");
        }
    }

    private static ChatMessage DecodeAssistant(JsonElement message, string path, string? name)
    {
        var parts = new List<ContentPart>();
        if (JsonRead.OptionalArray(message, "thinking_blocks", path) is { } blocks)
        {
            foreach (var block in blocks.EnumerateArray())
            {
                JsonRead.RequireObject(block, $"{path}.thinking_blocks");
                var type = JsonRead.OptionalString(block, "type", $"{path}.thinking_blocks");
                parts.Add(type == "redacted_thinking"
                    ? new ThinkingPart { RedactedData = JsonRead.OptionalString(block, "data", path) }
                    : new ThinkingPart
                    {
                        Text = JsonRead.OptionalString(block, "thinking", path) ?? string.Empty,
                        Signature = JsonRead.OptionalString(block, "signature", path),
                    });
            }
        }
        else if (JsonRead.OptionalString(message, "reasoning_content", path) is { Length: > 0 } reasoning)
        {
            parts.Add(new ThinkingPart { Text = reasoning });
        }

        parts.AddRange(DecodeContent(message, path, allowImages: false, required: false));
        if (JsonRead.OptionalArray(message, "tool_calls", path) is { } calls)
        {
            var i = 0;
            foreach (var call in calls.EnumerateArray())
            {
                var callPath = $"{path}.tool_calls[{i++}]";
                JsonRead.RequireObject(call, callPath);
                var function = JsonRead.OptionalObject(call, "function", callPath)
                    ?? throw JsonRead.Invalid($"'{callPath}.function' is required.", $"{callPath}.function");
                var part = new ToolCallPart
                {
                    Id = JsonRead.RequiredString(call, "id", callPath),
                    Name = JsonRead.RequiredString(function, "name", $"{callPath}.function"),
                    ArgumentsJson = JsonRead.OptionalString(function, "arguments", $"{callPath}.function") ?? "{}",
                };
                if (call.TryGetProperty("extra_content", out var extra) && extra.ValueKind == JsonValueKind.Object
                    && extra.TryGetProperty("google", out var google) && google.ValueKind == JsonValueKind.Object
                    && google.TryGetProperty("thought_signature", out var signature) && signature.ValueKind == JsonValueKind.String)
                {
                    part.ThoughtSignature = signature.GetString();
                }

                parts.Add(part);
            }
        }

        if (JsonRead.OptionalString(message, "refusal", path) is { Length: > 0 } refusal && parts.Count == 0)
        {
            parts.Add(new TextPart(refusal));
        }

        return new ChatMessage(Role.Assistant, parts) { Name = name };
    }

    private static List<ContentPart> DecodeContent(JsonElement message, string path, bool allowImages, bool required)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                throw JsonRead.Invalid($"'{path}.content' is required.", $"{path}.content");
            }

            return [];
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return [new TextPart(content.GetString()!)];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw JsonRead.Invalid($"'{path}.content' must be a string or an array of content parts, not {JsonRead.Describe(content)}.", $"{path}.content");
        }

        var parts = new List<ContentPart>(content.GetArrayLength());
        var i = 0;
        foreach (var item in content.EnumerateArray())
        {
            var itemPath = $"{path}.content[{i++}]";
            JsonRead.RequireObject(item, itemPath);
            var type = JsonRead.RequiredString(item, "type", itemPath);
            ContentPart part = type switch
            {
                "text" => new TextPart(JsonRead.RequiredString(item, "text", itemPath)),
                "image_url" when allowImages => DecodeImage(item, itemPath),
                "image_url" => throw JsonRead.Invalid($"'{itemPath}': images are only allowed in user and tool messages.", itemPath),
                "refusal" => new TextPart(JsonRead.RequiredString(item, "refusal", itemPath)),
                _ => throw JsonRead.Invalid($"'{itemPath}.type' \"{type}\" is not supported; use \"text\" or \"image_url\".", $"{itemPath}.type"),
            };
            if (item.TryGetProperty("cache_control", out var cache) && cache.ValueKind == JsonValueKind.Object)
            {
                part.CacheControlJson = cache.GetRawText();
            }

            parts.Add(part);
        }

        return parts;
    }

    private static ImagePart DecodeImage(JsonElement item, string path)
    {
        if (!item.TryGetProperty("image_url", out var image))
        {
            throw JsonRead.Invalid($"'{path}.image_url' is required.", $"{path}.image_url");
        }

        if (image.ValueKind == JsonValueKind.String)
        {
            // A bare URL string is tolerated, and checked as the url field is: it is re-encoded as that field.
            return ImagePart.FromUrl(CheckUrl(image.GetString()!, $"{path}.image_url"), null);
        }

        JsonRead.RequireObject(image, $"{path}.image_url");
        var url = CheckUrl(JsonRead.RequiredString(image, "url", $"{path}.image_url"), $"{path}.image_url.url");
        return ImagePart.FromUrl(url, JsonRead.OptionalString(image, "detail", $"{path}.image_url"));
    }

    private static string CheckUrl(string url, string path)
    {
        if (!url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("http://", StringComparison.Ordinal)
            && !url.StartsWith("https://", StringComparison.Ordinal))
        {
            throw JsonRead.Invalid($"'{path}' must be an http(s) URL or a base64 data URL.", path);
        }

        return url;
    }

    private static void DecodeTools(JsonElement root, ChatRequest request)
    {
        if (JsonRead.OptionalArray(root, "tools", string.Empty) is { } tools)
        {
            var i = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                var path = $"tools[{i++}]";
                JsonRead.RequireObject(tool, path);
                var type = JsonRead.OptionalString(tool, "type", path) ?? "function";
                if (type != "function")
                {
                    throw JsonRead.Invalid($"'{path}.type' \"{type}\" is not supported; only \"function\" tools are.", $"{path}.type");
                }

                var function = JsonRead.OptionalObject(tool, "function", path)
                    ?? throw JsonRead.Invalid($"'{path}.function' is required.", $"{path}.function");
                var name = JsonRead.RequiredString(function, "name", $"{path}.function");
                ToolNames.Validate(name, $"{path}.function.name");
                request.Tools.Add(new ToolDefinition
                {
                    Name = name,
                    Description = JsonRead.OptionalString(function, "description", $"{path}.function"),
                    ParametersJson = JsonRead.OptionalObject(function, "parameters", $"{path}.function")?.GetRawText()
                        ?? """{"type":"object","properties":{}}""",
                    Strict = JsonRead.OptionalBool(function, "strict", $"{path}.function"),
                });
            }
        }

        request.ParallelToolCalls = JsonRead.OptionalBool(root, "parallel_tool_calls", string.Empty);
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            request.ToolChoice = choice.GetString() switch
            {
                "auto" => new ToolChoice(ToolChoiceMode.Auto),
                "none" => new ToolChoice(ToolChoiceMode.None),
                "required" => new ToolChoice(ToolChoiceMode.Required),
                var other => throw JsonRead.Invalid($"'tool_choice' must be \"auto\", \"none\", \"required\" or a function object; got \"{other}\".", "tool_choice"),
            };
            return;
        }

        JsonRead.RequireObject(choice, "tool_choice");
        var fn = JsonRead.OptionalObject(choice, "function", "tool_choice")
            ?? throw JsonRead.Invalid("'tool_choice.function' is required when tool_choice is an object.", "tool_choice.function");
        request.ToolChoice = new ToolChoice(ToolChoiceMode.Function, JsonRead.RequiredString(fn, "name", "tool_choice.function"));
    }

    private static ResponseFormat? DecodeResponseFormat(JsonElement root)
    {
        if (JsonRead.OptionalObject(root, "response_format", string.Empty) is not { } format)
        {
            return null;
        }

        var type = JsonRead.RequiredString(format, "type", "response_format");
        switch (type)
        {
            case "text":
                return new ResponseFormat(ResponseFormatKind.Text);
            case "json_object":
                return new ResponseFormat(ResponseFormatKind.JsonObject);
            case "json_schema":
                var schema = JsonRead.OptionalObject(format, "json_schema", "response_format")
                    ?? throw JsonRead.Invalid("'response_format.json_schema' is required for type json_schema.", "response_format.json_schema");
                var body = JsonRead.OptionalObject(schema, "schema", "response_format.json_schema");
                return new ResponseFormat(
                    ResponseFormatKind.JsonSchema,
                    JsonRead.RequiredString(schema, "name", "response_format.json_schema"),
                    body?.GetRawText() ?? "{}",
                    JsonRead.OptionalBool(schema, "strict", "response_format.json_schema"));
            default:
                throw JsonRead.Invalid($"'response_format.type' must be text, json_object or json_schema; got \"{type}\".", "response_format.type");
        }
    }
}
