using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Tests.Properties;

/// <summary>
/// Generates canonical conversations that both OpenAI Chat Completions and Anthropic Messages can express:
/// an optional system turn, then user turns (text and images), assistant turns (signed or redacted reasoning,
/// text, tool calls with JSON-object arguments) each followed by one tool result per call; tools with schemas
/// and a tool choice.
/// </summary>
public static class ConversationGenerators
{
    private const string Ephemeral = """{"type":"ephemeral"}""";

    private static readonly Gen<string?> CacheMark = Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Gen.Constant<string?>(Ephemeral)));

    private static readonly Gen<string> Identifier = Gen.Sized(size =>
        from length in Gen.Choose(1, Math.Clamp(size, 1, 64))
        from chars in Gen.ListOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-".ToCharArray()), length)
        select new string([.. chars]));

    private static readonly Gen<ContentPart> Texts =
        from text in JsonGenerators.Text
        from cache in CacheMark
        select (ContentPart)new TextPart(text) { CacheControlJson = cache };

    private static readonly Gen<ContentPart> Images = Gen.OneOf(
        from path in Identifier
        from cache in CacheMark
        select (ContentPart)new ImagePart { Url = $"https://images.example/{path}.png", CacheControlJson = cache },
        from media in Gen.Elements("image/png", "image/jpeg", "image/gif", "image/webp")
        from data in Gen.Elements("iVBORw0KGgo=", "/9j/4AAQSkZJRg==", "R0lGODlhAQABAAAAACw=", "UklGRhoAAABXRUJQ")
        from cache in CacheMark
        select (ContentPart)new ImagePart { MediaType = media, Base64Data = data, CacheControlJson = cache });

    private static readonly Gen<ContentPart> Reasoning = Gen.OneOf(
        from text in JsonGenerators.Text
        from signature in Identifier
        select (ContentPart)new ThinkingPart { Text = text, Signature = signature },
        Identifier.Select(data => (ContentPart)new ThinkingPart { RedactedData = data }));

    private static readonly Gen<ToolCallPart> ToolCalls =
        from id in Identifier
        from name in Identifier
        from arguments in JsonGenerators.Object
        select new ToolCallPart { Id = "call_" + id, Name = name, ArgumentsJson = arguments.ToJsonString() };

    private static readonly Gen<ToolDefinition> Tools =
        from name in Identifier
        from description in Gen.OneOf(Gen.Constant<string?>(null), JsonGenerators.Text.Select(t => (string?)t))
        from properties in JsonGenerators.UpTo(Gen.Zip(JsonGenerators.Key, Gen.Elements("string", "integer", "number", "boolean", "array", "object")), 4)
        from required in Gen.Elements(true, false)
        select new ToolDefinition
        {
            Name = name,
            Description = description,
            ParametersJson = Schema(properties, required),
        };

    private static readonly Gen<ChatMessage> Assistant =
        (from thinking in JsonGenerators.UpTo(Reasoning, 2)
         from text in Gen.OneOf(Gen.Constant<string?>(null), JsonGenerators.Text.Select(t => (string?)t))
         from calls in JsonGenerators.UpTo(ToolCalls, 3)
         select new ChatMessage(Role.Assistant, [.. thinking, .. text is null ? Array.Empty<ContentPart>() : [new TextPart(text)], .. calls]))
        .Where(m => m.Parts.Exists(p => p is TextPart or ToolCallPart));

    /// <summary>One or two user messages, then optionally an assistant message and the results of its tool calls.</summary>
    private static readonly Gen<List<ChatMessage>> Turn =
        from users in Gen.Choose(1, 2)
        from userParts in Gen.ListOf(Gen.NonEmptyListOf(Gen.OneOf(Texts, Images)).Select(p => p.Take(3).ToList()), users)
        from answered in Gen.Elements(true, false)
        from assistant in Assistant
        from results in Gen.ListOf(JsonGenerators.UpTo(JsonGenerators.Text, 2).Where(t => t.Count > 0), assistant.Parts.OfType<ToolCallPart>().Count())
        select Messages(userParts, answered ? assistant : null, [.. results]);

    /// <summary>The arbitrary FsCheck uses for <see cref="Conversation"/> parameters.</summary>
    public static Arbitrary<Conversation> Conversations() => Arb.From(
        from system in Gen.OneOf(Gen.Constant(new List<ChatMessage>()), JsonGenerators.UpTo(Texts, 2).Where(p => p.Count > 0).Select(p => new List<ChatMessage> { new(Role.System, p) }))
        from turns in Gen.NonEmptyListOf(Turn).Select(t => t.Take(4).ToList())
        from tools in JsonGenerators.UpTo(Tools, 3).Select(t => t.DistinctBy(d => d.Name).ToList())
        from choice in ToolChoiceFor(tools)
        select new Conversation(new ChatRequest
        {
            Model = "gpt-4o",
            Messages = [.. system, .. turns.SelectMany(t => t)],
            Tools = tools,
            ToolChoice = choice,
            SourceDialect = Dialect.OpenAiChat,
        }));

    private static Gen<ToolChoice?> ToolChoiceFor(List<ToolDefinition> tools) => tools.Count == 0
        ? Gen.Constant<ToolChoice?>(null)
        : Gen.OneOf(
            Gen.Constant<ToolChoice?>(null),
            Gen.Elements(ToolChoiceMode.Auto, ToolChoiceMode.None, ToolChoiceMode.Required).Select(m => (ToolChoice?)new ToolChoice(m)),
            Gen.Elements(tools.ToArray()).Select(t => (ToolChoice?)new ToolChoice(ToolChoiceMode.Function, t.Name)));

    private static List<ChatMessage> Messages(IList<List<ContentPart>> userParts, ChatMessage? assistant, List<List<string>> results)
    {
        var messages = userParts.Select(p => new ChatMessage(Role.User, p)).ToList();
        if (assistant is null)
        {
            return messages;
        }

        messages.Add(assistant);
        var calls = assistant.Parts.OfType<ToolCallPart>().ToList();
        for (var i = 0; i < calls.Count; i++)
        {
            var content = results[i].ConvertAll(t => (ContentPart)new TextPart(t));
            messages.Add(new ChatMessage(Role.Tool, [new ToolResultPart { ToolCallId = calls[i].Id, Content = content }]));
        }

        return messages;
    }

    private static string Schema(List<(string Key, string Type)> properties, bool required)
    {
        var props = new JsonObject();
        foreach (var (key, type) in properties)
        {
            props.TryAdd(key, new JsonObject { ["type"] = type });
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = props };
        if (required)
        {
            schema["required"] = new JsonArray([.. props.Select(p => (JsonNode?)JsonValue.Create(p.Key))]);
        }

        return schema.ToJsonString();
    }
}
