using System.Text.Json.Nodes;
using Xunit;

namespace Gatehouse.Protocol.Tests.Anthropic;

/// <summary>
/// Checks that an SSE transcript is a valid Anthropic Messages stream as the streaming reference describes it:
/// message_start first, then content blocks opened and closed one at a time at consecutive indexes with deltas
/// of their own kind (tool input deltas joining to a JSON object), then message_delta with a stop_reason and
/// message_stop last. Every event name equals its data's <c>type</c>.
/// </summary>
internal static class AnthropicEventSequence
{
    /// <summary>Asserts validity and returns a summary: one "event[index]:detail" line per event, pings left out.</summary>
    public static List<string> AssertValid(byte[] transcript)
    {
        var events = StreamTranscript.Events(transcript, [int.MaxValue]);
        var summary = new List<string>();
        string? openType = null;
        var openIndex = -1;
        var nextIndex = 0;
        var toolInput = string.Empty;
        for (var i = 0; i < events.Count; i++)
        {
            var (name, data) = events[i];
            var json = JsonNode.Parse(data)!.AsObject();
            Assert.Equal(name, (string?)json["type"]);
            switch (name)
            {
                case "message_start":
                    Assert.Equal(0, i);
                    var message = json["message"]!;
                    Assert.StartsWith("msg_", (string?)message["id"], StringComparison.Ordinal);
                    Assert.Equal(("message", "assistant", 0), ((string?)message["type"], (string?)message["role"], message["content"]!.AsArray().Count));
                    summary.Add("message_start");
                    break;
                case "ping":
                    break;
                case "content_block_start":
                    Assert.Null(openType);
                    openIndex = (int)json["index"]!;
                    Assert.Equal(nextIndex++, openIndex);
                    openType = (string?)json["content_block"]!["type"];
                    toolInput = string.Empty;
                    summary.Add($"start[{openIndex}]:{openType}");
                    break;
                case "content_block_delta":
                    Assert.Equal(openIndex, (int)json["index"]!);
                    var deltaType = (string)json["delta"]!["type"]!;
                    Assert.Contains(deltaType, openType switch
                    {
                        "text" => ["text_delta"],
                        "thinking" => ["thinking_delta", "signature_delta"],
                        "tool_use" => ["input_json_delta"],
                        _ => Array.Empty<string>(),
                    });
                    if (deltaType == "input_json_delta")
                    {
                        toolInput += (string)json["delta"]!["partial_json"]!;
                    }

                    summary.Add($"delta[{openIndex}]:{deltaType}");
                    break;
                case "content_block_stop":
                    Assert.Equal(openIndex, (int)json["index"]!);
                    if (openType == "tool_use")
                    {
                        Assert.IsType<JsonObject>(JsonNode.Parse(toolInput.Length == 0 ? "{}" : toolInput));
                    }

                    openType = null;
                    summary.Add($"stop[{openIndex}]");
                    break;
                case "message_delta":
                    Assert.Null(openType);
                    Assert.Equal(events.Count - 2, i);
                    Assert.NotNull((string?)json["delta"]!["stop_reason"]);
                    Assert.NotNull(json["usage"]!["output_tokens"]);
                    summary.Add($"message_delta:{(string?)json["delta"]!["stop_reason"]}");
                    break;
                case "message_stop":
                    Assert.Equal(events.Count - 1, i);
                    summary.Add("message_stop");
                    break;
                default:
                    Assert.Fail($"Unexpected event '{name}'.");
                    break;
            }
        }

        Assert.Equal("message_stop", summary[^1]);
        return summary;
    }
}
