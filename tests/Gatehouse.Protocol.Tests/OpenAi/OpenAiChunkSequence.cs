using System.Text.Json.Nodes;
using Xunit;

namespace Gatehouse.Protocol.Tests.OpenAi;

/// <summary>
/// Checks that an SSE transcript is a valid OpenAI <c>chat.completion.chunk</c> stream as the Chat Completions
/// reference describes it: one id, model and created time throughout, the assistant role first, tool calls
/// introduced with id, type and name at consecutive indexes, one finish_reason, an optional usage chunk with
/// empty choices just before <c>[DONE]</c>.
/// </summary>
internal static class OpenAiChunkSequence
{
    /// <summary>Asserts validity and returns the chunks (without the [DONE] sentinel).</summary>
    public static List<JsonObject> AssertValid(byte[] transcript, bool expectUsage)
    {
        var events = StreamTranscript.Events(transcript, [int.MaxValue]);
        Assert.Equal((null, "[DONE]"), events[^1]);
        var chunks = events.GetRange(0, events.Count - 1).ConvertAll(e =>
        {
            Assert.Null(e.EventType);
            return JsonNode.Parse(e.Data)!.AsObject();
        });

        var first = chunks[0];
        var toolIndexes = new List<int>();
        var finishes = 0;
        var choiceChunks = expectUsage ? chunks.Count - 1 : chunks.Count;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            Assert.Equal("chat.completion.chunk", (string?)chunk["object"]);
            Assert.Equal((string?)first["id"], (string?)chunk["id"]);
            Assert.Equal((string?)first["model"], (string?)chunk["model"]);
            Assert.Equal((long?)first["created"], (long?)chunk["created"]);
            var choices = chunk["choices"]!.AsArray();
            if (i >= choiceChunks)
            {
                Assert.Empty(choices);
                Assert.NotNull(chunk["usage"]!["prompt_tokens"]);
                continue;
            }

            Assert.Equal(0, finishes);
            var choice = Assert.Single(choices)!;
            Assert.Equal(0, (int?)choice["index"]);
            var delta = choice["delta"]!.AsObject();
            Assert.Equal(i == 0 ? "assistant" : null, (string?)delta["role"]);
            if (delta["tool_calls"] is JsonArray calls)
            {
                foreach (var call in calls)
                {
                    var index = (int)call!["index"]!;
                    if (!toolIndexes.Contains(index))
                    {
                        Assert.Equal(toolIndexes.Count, index);
                        toolIndexes.Add(index);
                        Assert.NotNull((string?)call["id"]);
                        Assert.Equal("function", (string?)call["type"]);
                        Assert.NotNull((string?)call["function"]!["name"]);
                    }
                    else
                    {
                        Assert.Null(call["id"]);
                    }
                }
            }

            if (choice["finish_reason"] is not null)
            {
                finishes++;
            }
        }

        Assert.Equal(1, finishes);
        return chunks;
    }
}
