using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.IntegrationTests.Fakes;

/// <summary>
/// A fake of the Anthropic Messages API following its published wire format: x-api-key and anthropic-version
/// headers, strict validation (max_tokens, alternating turns, tool_result ids, thinking signatures), message objects
/// and the full streaming event sequence. Replies "Anthropic says: {last user text}"; with thinking enabled it first
/// thinks, signing with <see cref="Signature"/>, and rejects a conversation that sends a thinking block back with
/// any other signature. Usage is fixed: 13 input, 9 output, 2 cache read, 1 cache write.
/// </summary>
public sealed class FakeAnthropic : FakeUpstreamBase
{
    public const string Signature = "sig-anthropic-1";
    public const int InputTokens = 13;
    public const int OutputTokens = 9;

    private readonly string _apiKey;

    public FakeAnthropic(string apiKey) => _apiKey = apiKey;

    /// <summary>The next stream starts with an overloaded_error event (after HTTP 200), as Anthropic does under load.</summary>
    public void OverloadedStreamNext() => Enqueue(http => WriteSseAsync(http, ["event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"]));

    protected override async Task AnswerAsync(HttpContext http, byte[] body)
    {
        if (http.Request.Headers["x-api-key"].ToString() != _apiKey)
        {
            await WriteJsonAsync(http, 401, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}""");
            return;
        }

        if (string.IsNullOrEmpty(http.Request.Headers["anthropic-version"]))
        {
            await Invalid(http, "anthropic-version: header is required");
            return;
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            await Invalid(http, "There was an issue with your request body: invalid JSON");
            return;
        }

        if (Validate(root) is { } problem)
        {
            await Invalid(http, problem);
            return;
        }

        var model = root.GetProperty("model").GetString()!;
        var thinking = root.TryGetProperty("thinking", out var t) && t.GetProperty("type").GetString() == "enabled";
        var tool = ForcedTool(root);
        var text = $"Anthropic says: {LastUserText(root.GetProperty("messages"))}";
        var stream = root.TryGetProperty("stream", out var s) && s.GetBoolean();
        if (!stream)
        {
            var blocks = new List<string>();
            if (thinking)
            {
                blocks.Add($$$$"""{"type":"thinking","thinking":"Let me think.","signature":"{{{{Signature}}}}"}""");
            }

            blocks.Add(tool is null
                ? $$$$"""{"type":"text","text":{{{{JsonSerializer.Serialize(text)}}}}}"""
                : $$$$"""{"type":"tool_use","id":"toolu_fake_1","name":"{{{{tool}}}}","input":{"city":"Paris"}}""");
            await WriteJsonAsync(http, 200, $$$$"""
                {"id":"msg_fake123","type":"message","role":"assistant","model":"{{{{model}}}}","content":[{{{{string.Join(",", blocks)}}}}],
                 "stop_reason":"{{{{(tool is null ? "end_turn" : "tool_use")}}}}","stop_sequence":null,
                 "usage":{"input_tokens":{{{{InputTokens}}}},"cache_creation_input_tokens":1,"cache_read_input_tokens":2,"output_tokens":{{{{OutputTokens}}}}}}
                """);
            return;
        }

        static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";
        var events = new List<string>
        {
            Event("message_start", $$$$"""{"type":"message_start","message":{"id":"msg_fake123","type":"message","role":"assistant","model":"{{{{model}}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":{{{{InputTokens}}}},"cache_creation_input_tokens":1,"cache_read_input_tokens":2,"output_tokens":1}}}"""),
            Event("ping", """{"type": "ping"}"""),
        };
        var index = 0;
        if (thinking)
        {
            events.Add(Event("content_block_start", $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"thinking","thinking":"","signature":""}}"""));
            events.Add(Event("content_block_delta", $$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{"type":"thinking_delta","thinking":"Let me think."}}"""));
            events.Add(Event("content_block_delta", $$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{"type":"signature_delta","signature":"{{{{Signature}}}}"}}"""));
            events.Add(Event("content_block_stop", $$$$"""{"type":"content_block_stop","index":{{{{index}}}}}"""));
            index++;
        }

        if (tool is null)
        {
            events.Add(Event("content_block_start", $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"text","text":""}}"""));
            foreach (var piece in FakeOpenAi.Split(text, 3))
            {
                events.Add(Event("content_block_delta", $$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{"type":"text_delta","text":{{{{JsonSerializer.Serialize(piece)}}}}}}"""));
            }
        }
        else
        {
            events.Add(Event("content_block_start", $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"tool_use","id":"toolu_fake_1","name":"{{{{tool}}}}","input":{}}}"""));
            events.Add(Event("content_block_delta", $$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}"""));
            events.Add(Event("content_block_delta", $$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}}"""));
        }

        events.Add(Event("content_block_stop", $$$$"""{"type":"content_block_stop","index":{{{{index}}}}}"""));
        events.Add(Event("message_delta", $$$$"""{"type":"message_delta","delta":{"stop_reason":"{{{{(tool is null ? "end_turn" : "tool_use")}}}}","stop_sequence":null},"usage":{"output_tokens":{{{{OutputTokens}}}}}}"""));
        events.Add(Event("message_stop", """{"type":"message_stop"}"""));
        await WriteSseAsync(http, events);
    }

    private static Task Invalid(HttpContext http, string message) =>
        WriteJsonAsync(http, 400, $$$$"""{"type":"error","error":{"type":"invalid_request_error","message":{{{{JsonSerializer.Serialize(message)}}}}}}""");

    private static string? Validate(JsonElement root)
    {
        if (!root.TryGetProperty("model", out _))
        {
            return "model: Field required";
        }

        if (!root.TryGetProperty("max_tokens", out var max) || max.ValueKind != JsonValueKind.Number)
        {
            return "max_tokens: Field required";
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.GetArrayLength() == 0)
        {
            return "messages: at least one message is required";
        }

        var expected = "user";
        var toolUses = new HashSet<string>();
        for (var i = 0; i < messages.GetArrayLength(); i++)
        {
            var message = messages[i];
            var role = message.GetProperty("role").GetString();
            if (role != expected)
            {
                return $"messages.{i}.role: roles must alternate between \"user\" and \"assistant\", starting with \"user\"";
            }

            expected = role == "user" ? "assistant" : "user";
            var content = message.GetProperty("content");
            if (content.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var block in content.EnumerateArray())
            {
                switch (block.GetProperty("type").GetString())
                {
                    case "tool_use":
                        toolUses.Add(block.GetProperty("id").GetString()!);
                        break;
                    case "tool_result" when !toolUses.Contains(block.GetProperty("tool_use_id").GetString()!):
                        return $"messages.{i}: unexpected `tool_use_id` found in `tool_result` blocks: {block.GetProperty("tool_use_id").GetString()}";
                    case "thinking" when block.GetProperty("signature").GetString() != Signature:
                        return $"messages.{i}: Invalid `signature` in `thinking` block";
                }
            }
        }

        return null;
    }

    private static string? ForcedTool(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.GetArrayLength() == 0 || !root.TryGetProperty("tool_choice", out var choice))
        {
            return null;
        }

        return choice.GetProperty("type").GetString() switch
        {
            "tool" => choice.GetProperty("name").GetString(),
            "any" => tools[0].GetProperty("name").GetString(),
            _ => null,
        };
    }
}
