using System.Text.Json;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>Decodes an Anthropic Messages request body into the canonical request, validating every modelled field.</summary>
public static class AnthropicRequestDecoder
{
    private static readonly HashSet<string> Modelled =
    [
        "model", "messages", "system", "max_tokens", "stop_sequences", "stream", "temperature", "top_p", "top_k",
        "tools", "tool_choice", "thinking", "metadata",
    ];

    /// <summary>Decodes a request body; throws <see cref="Core.GatewayException"/> with a 400 error on bad input.</summary>
    public static ChatRequest Decode(ReadOnlyMemory<byte> body)
    {
        using var document = JsonRead.Parse(body);
        var root = document.RootElement;
        JsonRead.RequireObject(root, "body");
        var request = new ChatRequest
        {
            Model = JsonRead.RequiredModel(root),
            SourceDialect = Dialect.AnthropicMessages,
        };

        request.MaxTokens = JsonRead.OptionalInt(root, "max_tokens", string.Empty, 1)
            ?? throw JsonRead.Invalid("'max_tokens' is required: the maximum number of tokens to generate.", "max_tokens");
        DecodeSystem(root, request);
        var messages = JsonRead.OptionalArray(root, "messages", string.Empty)
            ?? throw JsonRead.Invalid("'messages' is required.", "messages");
        if (messages.GetArrayLength() == 0)
        {
            throw JsonRead.Invalid("'messages' must contain at least one message.", "messages");
        }

        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            DecodeMessage(message, $"messages.{i++}", request.Messages);
        }

        JsonRead.StringOrArray(root, "stop_sequences", string.Empty, request.Stop);
        request.Stream = JsonRead.OptionalBool(root, "stream", string.Empty) ?? false;
        request.Temperature = JsonRead.OptionalNumber(root, "temperature", string.Empty, 0, 1);
        request.TopP = JsonRead.OptionalNumber(root, "top_p", string.Empty, 0, 1);
        request.TopK = JsonRead.OptionalInt(root, "top_k", string.Empty, 0);
        if (JsonRead.OptionalObject(root, "metadata", string.Empty) is { } metadata)
        {
            request.User = JsonRead.OptionalString(metadata, "user_id", "metadata");
        }

        if (JsonRead.OptionalObject(root, "thinking", string.Empty) is { } thinking
            && JsonRead.RequiredString(thinking, "type", "thinking") == "enabled")
        {
            request.ThinkingBudget = JsonRead.OptionalInt(thinking, "budget_tokens", "thinking", 1024)
                ?? throw JsonRead.Invalid("'thinking.budget_tokens' is required when thinking is enabled.", "thinking.budget_tokens");
        }

        DecodeTools(root, request);
        foreach (var property in root.EnumerateObject())
        {
            if (!Modelled.Contains(property.Name))
            {
                request.Extra[property.Name] = property.Value.Clone();
            }
        }

        return request;
    }

    private static void DecodeSystem(JsonElement root, ChatRequest request)
    {
        if (!root.TryGetProperty("system", out var system) || system.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (system.ValueKind == JsonValueKind.String)
        {
            request.Messages.Add(new ChatMessage(Role.System, [new TextPart(system.GetString()!)]));
            return;
        }

        if (system.ValueKind != JsonValueKind.Array)
        {
            throw JsonRead.Invalid("'system' must be a string or an array of text blocks.", "system");
        }

        var parts = new List<ContentPart>();
        var i = 0;
        foreach (var block in system.EnumerateArray())
        {
            var path = $"system.{i++}";
            JsonRead.RequireObject(block, path);
            if (JsonRead.RequiredString(block, "type", path) != "text")
            {
                throw JsonRead.Invalid($"'{path}.type' must be \"text\".", $"{path}.type");
            }

            parts.Add(WithCache(new TextPart(JsonRead.RequiredString(block, "text", path)), block));
        }

        request.Messages.Add(new ChatMessage(Role.System, parts));
    }

    private static void DecodeMessage(JsonElement message, string path, List<ChatMessage> into)
    {
        JsonRead.RequireObject(message, path);
        var roleName = JsonRead.RequiredString(message, "role", path);
        var role = roleName switch
        {
            "user" => Role.User,
            "assistant" => Role.Assistant,
            _ => throw JsonRead.Invalid($"'{path}.role' must be \"user\" or \"assistant\"; got \"{roleName}\".", $"{path}.role"),
        };
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw JsonRead.Invalid($"'{path}.content' is required.", $"{path}.content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            into.Add(new ChatMessage(role, [new TextPart(content.GetString()!)]));
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw JsonRead.Invalid($"'{path}.content' must be a string or an array of content blocks.", $"{path}.content");
        }

        // Tool results become canonical Tool messages; the rest of a user turn stays a User message, order kept.
        var current = new List<ContentPart>();
        var currentRole = role;
        var i = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content.{i++}";
            var part = DecodeBlock(block, blockPath, role);
            var partRole = part is ToolResultPart ? Role.Tool : role;
            if (partRole != currentRole && current.Count > 0)
            {
                into.Add(new ChatMessage(currentRole, current));
                current = [];
            }

            currentRole = partRole;
            current.Add(part);
        }

        // An empty content array is still a turn: dropping it could leave a request with a system prompt only.
        if (current.Count > 0 || content.GetArrayLength() == 0)
        {
            into.Add(new ChatMessage(currentRole, current));
        }

        if (role == Role.Assistant)
        {
            AttachGeminiSignatures(into[^1].Parts);
        }
    }

    /// <summary>Moves Gemini thought signatures that rode in thinking blocks back onto the tool calls they belong to.</summary>
    private static void AttachGeminiSignatures(List<ContentPart> parts)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is ThinkingPart thinking && GeminiSignatureMarker.TryUnwrap(thinking.Signature, out var signature))
            {
                parts.RemoveAt(i);
                if (i < parts.Count && parts[i] is ToolCallPart call)
                {
                    call.ThoughtSignature = signature;
                }

                i--;
            }
        }
    }

    private static ContentPart DecodeBlock(JsonElement block, string path, Role role)
    {
        JsonRead.RequireObject(block, path);
        var type = JsonRead.RequiredString(block, "type", path);
        ContentPart part = type switch
        {
            "text" => new TextPart(JsonRead.RequiredString(block, "text", path)),
            "image" => DecodeImage(block, path),
            "tool_use" when role == Role.Assistant => new ToolCallPart
            {
                Id = JsonRead.RequiredString(block, "id", path),
                Name = JsonRead.RequiredString(block, "name", path),
                ArgumentsJson = (JsonRead.OptionalObject(block, "input", path) ?? throw JsonRead.Invalid($"'{path}.input' is required.", $"{path}.input")).GetRawText(),
            },
            "tool_result" when role == Role.User => DecodeToolResult(block, path),
            "thinking" when role == Role.Assistant => new ThinkingPart
            {
                Text = JsonRead.RequiredString(block, "thinking", path),
                Signature = JsonRead.OptionalString(block, "signature", path),
            },
            "redacted_thinking" when role == Role.Assistant => new ThinkingPart { RedactedData = JsonRead.RequiredString(block, "data", path) },
            "tool_use" or "thinking" or "redacted_thinking" => throw JsonRead.Invalid($"'{path}': {type} blocks are only allowed in assistant messages.", path),
            "tool_result" => throw JsonRead.Invalid($"'{path}': tool_result blocks are only allowed in user messages.", path),
            _ => throw JsonRead.Invalid($"'{path}.type' \"{type}\" is not supported; use text, image, tool_use, tool_result, thinking or redacted_thinking.", $"{path}.type"),
        };
        return WithCache(part, block);
    }

    private static ImagePart DecodeImage(JsonElement block, string path)
    {
        var source = JsonRead.OptionalObject(block, "source", path)
            ?? throw JsonRead.Invalid($"'{path}.source' is required.", $"{path}.source");
        var sourceType = JsonRead.RequiredString(source, "type", $"{path}.source");
        return sourceType switch
        {
            "base64" => new ImagePart
            {
                MediaType = JsonRead.RequiredString(source, "media_type", $"{path}.source"),
                Base64Data = JsonRead.RequiredString(source, "data", $"{path}.source"),
            },
            "url" => new ImagePart { Url = JsonRead.RequiredString(source, "url", $"{path}.source") },
            _ => throw JsonRead.Invalid($"'{path}.source.type' must be \"base64\" or \"url\".", $"{path}.source.type"),
        };
    }

    private static ToolResultPart DecodeToolResult(JsonElement block, string path)
    {
        var content = new List<ContentPart>();
        if (block.TryGetProperty("content", out var value))
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                content.Add(new TextPart(value.GetString()!));
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var itemPath = $"{path}.content.{i++}";
                    JsonRead.RequireObject(item, itemPath);
                    var type = JsonRead.RequiredString(item, "type", itemPath);
                    content.Add(type switch
                    {
                        "text" => new TextPart(JsonRead.RequiredString(item, "text", itemPath)),
                        "image" => DecodeImage(item, itemPath),
                        _ => throw JsonRead.Invalid($"'{itemPath}.type' must be text or image inside a tool_result.", $"{itemPath}.type"),
                    });
                }
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                throw JsonRead.Invalid($"'{path}.content' must be a string or an array of blocks.", $"{path}.content");
            }
        }

        return new ToolResultPart
        {
            ToolCallId = JsonRead.RequiredString(block, "tool_use_id", path),
            Content = content,
            IsError = JsonRead.OptionalBool(block, "is_error", path) ?? false,
        };
    }

    private static void DecodeTools(JsonElement root, ChatRequest request)
    {
        if (JsonRead.OptionalArray(root, "tools", string.Empty) is { } tools)
        {
            var i = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                var path = $"tools.{i++}";
                JsonRead.RequireObject(tool, path);
                var type = JsonRead.OptionalString(tool, "type", path);
                if (type is not null and not "custom")
                {
                    throw JsonRead.Invalid($"'{path}.type' \"{type}\": server tools are not supported through the gateway; define a custom tool with input_schema.", $"{path}.type");
                }

                var name = JsonRead.RequiredString(tool, "name", path);
                ToolNames.Validate(name, $"{path}.name");
                request.Tools.Add(new ToolDefinition
                {
                    Name = name,
                    Description = JsonRead.OptionalString(tool, "description", path),
                    ParametersJson = (JsonRead.OptionalObject(tool, "input_schema", path)
                        ?? throw JsonRead.Invalid($"'{path}.input_schema' is required.", $"{path}.input_schema")).GetRawText(),
                    CacheControlJson = tool.TryGetProperty("cache_control", out var cache) && cache.ValueKind == JsonValueKind.Object ? cache.GetRawText() : null,
                });
            }
        }

        if (JsonRead.OptionalObject(root, "tool_choice", string.Empty) is not { } choice)
        {
            return;
        }

        var choiceType = JsonRead.RequiredString(choice, "type", "tool_choice");
        request.ToolChoice = choiceType switch
        {
            "auto" => new ToolChoice(ToolChoiceMode.Auto),
            "any" => new ToolChoice(ToolChoiceMode.Required),
            "none" => new ToolChoice(ToolChoiceMode.None),
            "tool" => new ToolChoice(ToolChoiceMode.Function, JsonRead.RequiredString(choice, "name", "tool_choice")),
            _ => throw JsonRead.Invalid($"'tool_choice.type' must be auto, any, tool or none; got \"{choiceType}\".", "tool_choice.type"),
        };
        if (JsonRead.OptionalBool(choice, "disable_parallel_tool_use", "tool_choice") == true)
        {
            request.ParallelToolCalls = false;
        }
    }

    private static T WithCache<T>(T part, JsonElement block)
        where T : ContentPart
    {
        if (block.TryGetProperty("cache_control", out var cache) && cache.ValueKind == JsonValueKind.Object)
        {
            part.CacheControlJson = cache.GetRawText();
        }

        return part;
    }
}
