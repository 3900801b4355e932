using System.Text.Json.Nodes;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Gemini;
using Gatehouse.Protocol.Sse;
using Xunit;

namespace Gatehouse.Protocol.Tests.Gemini;

/// <summary>A tool conversation over two Gemini turns: what Gemini signed comes back unchanged.</summary>
public sealed class GeminiToolRoundTripTests
{
    [Fact]
    public void Signatures_from_a_response_are_sent_back_unchanged_next_turn()
    {
        var raw = GeminiFixture.Json("generate_content_response.json");
        var rawParts = raw["candidates"]![0]!["content"]!["parts"]!;
        var response = GeminiResponseDecoder.Decode(GeminiFixture.Bytes("generate_content_response.json"), 0);
        var call = Assert.IsType<ToolCallPart>(response.Parts[^1]);

        var next = Encode(NextTurn(response.Parts, call.Id));

        var model = next["contents"]![1]!;
        Assert.Equal("model", (string?)model["role"]);
        var parts = model["parts"]!.AsArray();

        // The unsigned thought summary is not sent back; the signed text and call are, signatures intact.
        Assert.Equal(2, parts.Count);
        GeminiFixture.AssertJsonEqual(rawParts[1]!, parts[0]);
        GeminiFixture.AssertJsonEqual(rawParts[2]!, parts[1]);
        Assert.Equal((string?)rawParts[2]!["thoughtSignature"], (string?)parts[1]!["thoughtSignature"]);

        GeminiFixture.AssertJsonEqual(
            JsonNode.Parse("""{"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"content":"18°C, sunny"}}}]}""")!,
            next["contents"]![2]);
    }

    [Fact]
    public void Streamed_signatures_are_sent_back_unchanged_next_turn()
    {
        var parts = Accumulate(GeminiFixture.Bytes("stream_thoughts_text_tool.sse"));
        var call = Assert.IsType<ToolCallPart>(parts[^1]);

        var next = Encode(NextTurn(parts, call.Id));

        GeminiFixture.AssertJsonEqual(
            JsonNode.Parse("""
                {"role":"model","parts":[
                  {"text":"**Checking the forecast**\n\nThe user asks about Paris. I should call get_weather.","thought":true,"thoughtSignature":"Eo4CCosCAdHtim9x+Yq3/Zr0Lw=="},
                  {"text":"Let me look that up for you."},
                  {"functionCall":{"name":"get_weather","args":{"city":"Paris","unit":"celsius"}},"thoughtSignature":"CiQB0e2Kb3Z+q/8sJ7Xw2vLhYd9pQm1nRt4uVa6bEc0fGk5sJx=="}
                ]}
                """)!,
            next["contents"]![1]);
        Assert.Equal("get_weather", (string?)next["contents"]![2]!["parts"]![0]!["functionResponse"]!["name"]);
    }

    private static ChatRequest NextTurn(List<ContentPart> assistantParts, string callId) => new()
    {
        Model = "gemini-2.5-flash",
        Messages =
        [
            new(Role.User, [new TextPart("What's the weather in Paris?")]),
            new(Role.Assistant, assistantParts),
            new(Role.Tool, [new ToolResultPart { ToolCallId = callId, Content = [new TextPart("18°C, sunny")] }]),
        ],
        Tools = [new ToolDefinition { Name = "get_weather" }],
    };

    private static JsonNode Encode(ChatRequest request) => GeminiFixture.Write(buffer => GeminiRequestEncoder.Encode(request, buffer));

    /// <summary>Builds the assistant message a client would send back from a decoded stream, the way SDKs accumulate deltas.</summary>
    private static List<ContentPart> Accumulate(byte[] transcript)
    {
        using var parser = new SseParser();
        var decoder = new GeminiStreamDecoder();
        var events = new List<StreamEvent>();
        parser.Append(transcript);
        while (parser.TryRead(out var sseEvent))
        {
            decoder.Decode(sseEvent.EventType, sseEvent.Data.Span, events);
        }

        decoder.Complete(events);
        var parts = new Dictionary<int, ContentPart>();
        foreach (var e in events)
        {
            switch (e)
            {
                case ThinkingStartEvent start:
                    parts[start.Index] = new ThinkingPart();
                    break;
                case TextStartEvent start:
                    parts[start.Index] = new TextPart(string.Empty);
                    break;
                case ToolCallStartEvent start:
                    parts[start.Index] = new ToolCallPart { Id = start.Id, Name = start.Name, ArgumentsJson = string.Empty, ThoughtSignature = start.ThoughtSignature };
                    break;
                case ThinkingDeltaEvent delta:
                    ((ThinkingPart)parts[delta.Index]).Text += delta.Text;
                    break;
                case SignatureDeltaEvent delta:
                    ((ThinkingPart)parts[delta.Index]).Signature = delta.Signature;
                    break;
                case TextDeltaEvent delta:
                    ((TextPart)parts[delta.Index]).Text += delta.Text;
                    break;
                case ToolArgumentsDeltaEvent delta:
                    ((ToolCallPart)parts[delta.Index]).ArgumentsJson += delta.JsonFragment;
                    break;
            }
        }

        return [.. parts.OrderBy(p => p.Key).Select(p => p.Value)];
    }
}
