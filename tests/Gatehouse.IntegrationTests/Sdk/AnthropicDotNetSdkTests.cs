using System.Net;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Sdk;

/// <summary>
/// The official Anthropic .NET SDK as a real client of a real gateway in front of the fakes: messages (plain,
/// streamed, tool use, signed thinking) and errors, with the exact answers and usage the gateway reports.
/// </summary>
public sealed class AnthropicDotNetSdkTests : IAsyncLifetime
{
    private const string Claude = "claude/claude-sonnet-4-5";
    private const string Gemini = "gemini/gemini-2.5-flash";

    private static readonly Tool WeatherTool = new()
    {
        Name = "get_weather",
        Description = "Current weather in a city",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
            Required = ["city"],
        },
    };

    private GatewayTestHost _host = null!;
    private AnthropicClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync();

        // The SDK appends /v1/messages itself. No retries (they would hide failures), and a hang fails fast.
        _client = new AnthropicClient
        {
            BaseUrl = _host.BaseUrl.ToString().TrimEnd('/'),
            ApiKey = "test",
            MaxRetries = 0,
            Timeout = TimeSpan.FromSeconds(15),
        };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    // Usage as an Anthropic client sees it: input without cache reads and writes. Claude is passed through;
    // OpenAI's 11 prompt tokens are 8 input and 3 cache reads; the fake Gemini counts words.
    [Theory]
    [InlineData(Claude, "claude-sonnet-4-5", "Anthropic says: ", 13, 1, 2, 9)]
    [InlineData("openai/gpt-4o-mini", "gpt-4o-mini", "OpenAI says: ", 8, 0, 3, 7)]
    [InlineData(Gemini, "gemini-2.5-flash", "Gemini says: ", 2, 0, 0, 4)]
    public async Task Message_returns_the_exact_answer_stop_reason_and_usage(
        string model, string servedModel, string says, long input, long cacheWrite, long cacheRead, long output)
    {
        var message = await _client.Messages.Create(Ask(model, "Hello there"));

        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal(says + "Hello there", text.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Null(message.StopSequence);
        Assert.Equal(servedModel, message.Model.Raw());
        Assert.Equal(input, message.Usage.InputTokens);
        Assert.Equal(cacheWrite, message.Usage.CacheCreationInputTokens);
        Assert.Equal(cacheRead, message.Usage.CacheReadInputTokens);
        Assert.Equal(output, message.Usage.OutputTokens);
    }

    // The usage of a stream is message_start's, updated by whatever message_delta reports.
    [Theory]
    [InlineData(Claude, "Anthropic says: ", 13, 1, 2, 9)]
    [InlineData("openai/gpt-4o-mini", "OpenAI says: ", 8, 0, 3, 7)]
    [InlineData(Gemini, "Gemini says: ", 2, 0, 0, 4)]
    public async Task Streamed_message_arrives_as_the_anthropic_event_sequence(
        string model, string says, long input, long cacheWrite, long cacheRead, long output)
    {
        var kinds = new List<string>();
        var deltas = new List<string>();
        (long Input, long? CacheWrite, long? CacheRead, long Output)? usage = null;
        StopReason? stopReason = null;
        await foreach (var streamEvent in _client.Messages.CreateStreaming(Ask(model, "Stream please")))
        {
            kinds.Add(streamEvent.Type.Raw());
            if (streamEvent.TryPickStart(out var start))
            {
                var started = start.Message.Usage;
                usage = (started.InputTokens, started.CacheCreationInputTokens, started.CacheReadInputTokens, started.OutputTokens);
            }
            else if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var text))
            {
                deltas.Add(text.Text);
            }
            else if (streamEvent.TryPickDelta(out var messageDelta))
            {
                stopReason = messageDelta.Delta.StopReason?.Value();
                var update = messageDelta.Usage;
                var before = usage ?? throw new InvalidOperationException("message_delta before message_start");
                usage = (update.InputTokens ?? before.Input, update.CacheCreationInputTokens ?? before.CacheWrite,
                    update.CacheReadInputTokens ?? before.CacheRead, update.OutputTokens);
            }
        }

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            kinds.Where((kind, i) => i == 0 || kind != kinds[i - 1]));
        Assert.True(deltas.Count > 1, $"expected the answer in several deltas, got {deltas.Count}");
        Assert.Equal(says + "Stream please", string.Concat(deltas));
        Assert.Equal(StopReason.EndTurn, stopReason);
        Assert.Equal<(long, long?, long?, long)?>((input, cacheWrite, cacheRead, output), usage);
    }

    [Fact]
    public async Task Tool_use_from_openai_then_the_tool_result_turn()
    {
        var first = await _client.Messages.Create(AskForWeather("openai/gpt-4o-mini"));

        Assert.Equal(StopReason.ToolUse, first.StopReason!.Value());
        AssertWeatherCall(Assert.Single(first.Content), "call_fake_1");

        var second = await _client.Messages.Create(ContinueWithToolResult("openai/gpt-4o-mini", first, "call_fake_1"));

        Assert.Equal(StopReason.EndTurn, second.StopReason!.Value());
        Assert.True(Assert.Single(second.Content).TryPickText(out var text));
        Assert.Equal("OpenAI says: Thanks", text.Text);
        var messages = _host.OpenAi.LastBody().GetProperty("messages");
        Assert.Equal("call_fake_1", messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("call_fake_1", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("18C and sunny", messages[2].GetProperty("content").GetString());
    }

    // Gemini's thought signature rides to the client in an empty thinking block and must come back on the call.
    [Fact]
    public async Task Tool_use_from_gemini_carries_its_thought_signature_through_the_tool_result_turn()
    {
        var first = await _client.Messages.Create(AskForWeather(Gemini));

        Assert.Equal(StopReason.ToolUse, first.StopReason!.Value());
        Assert.Equal(2, first.Content.Count);
        Assert.True(first.Content[0].TryPickThinking(out var carrier));
        Assert.Equal(string.Empty, carrier.Thinking);
        Assert.Equal("gatehouse.gemini:" + FakeGemini.ThoughtSignature, carrier.Signature);
        var callId = AssertWeatherCall(first.Content[1], "call_");

        var second = await _client.Messages.Create(ContinueWithToolResult(Gemini, first, callId));

        Assert.Equal(StopReason.EndTurn, second.StopReason!.Value());
        Assert.True(Assert.Single(second.Content).TryPickText(out var text));
        Assert.Equal("Gemini says: Thanks", text.Text);
        var contents = JsonDocument.Parse(_host.Gemini.Received[^1].Body).RootElement.GetProperty("contents");
        var call = contents[1].GetProperty("parts")[0];
        Assert.Equal("get_weather", call.GetProperty("functionCall").GetProperty("name").GetString());
        Assert.Equal(FakeGemini.ThoughtSignature, call.GetProperty("thoughtSignature").GetString());
        Assert.Equal("get_weather", contents[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Signed_thinking_survives_a_round_trip_on_claude()
    {
        var first = await _client.Messages.Create(Think([new UserMessageParam("Think")]));

        Assert.Equal(2, first.Content.Count);
        Assert.True(first.Content[0].TryPickThinking(out var thinking));
        Assert.Equal("Let me think.", thinking.Thinking);
        Assert.Equal(FakeAnthropic.Signature, thinking.Signature);
        Assert.True(first.Content[1].TryPickText(out var text));
        Assert.Equal("Anthropic says: Think", text.Text);

        var second = await _client.Messages.Create(Think(
            [new UserMessageParam("Think"), new AssistantMessageParam(Params(first.Content)), new UserMessageParam("Again")]));

        Assert.Equal(StopReason.EndTurn, second.StopReason!.Value());
        Assert.True(second.Content[^1].TryPickText(out var again));
        Assert.Equal("Anthropic says: Again", again.Text);
        var sent = _host.Anthropic.LastBody().GetProperty("messages")[1].GetProperty("content")[0];
        Assert.Equal("thinking", sent.GetProperty("type").GetString());
        Assert.Equal("Let me think.", sent.GetProperty("thinking").GetString());
        Assert.Equal(FakeAnthropic.Signature, sent.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task Thinking_sent_back_with_a_wrong_signature_is_a_bad_request()
    {
        List<ContentBlockParam> forged = [new ThinkingBlockParam { Thinking = "Let me think.", Signature = "sig-forged" }, new TextBlockParam("Anthropic says: Think")];

        var error = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => _client.Messages.Create(Think(
            [new UserMessageParam("Think"), new AssistantMessageParam(forged), new UserMessageParam("Again")])));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("signature", error.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_model_is_the_sdk_not_found_exception()
    {
        var error = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => _client.Messages.Create(Ask("nope/none", "Hi")));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("not_found_error", error.ResponseBody, StringComparison.Ordinal);
    }

    private static MessageCreateParams Ask(string model, string text) => new()
    {
        Model = model,
        MaxTokens = 100,
        Messages = [new UserMessageParam(text)],
    };

    private static MessageCreateParams AskForWeather(string model) => new()
    {
        Model = model,
        MaxTokens = 100,
        Tools = [WeatherTool],
        ToolChoice = new ToolChoiceAny(),
        Messages = [new UserMessageParam("Weather in Paris?")],
    };

    /// <summary>The question, the model's own turn sent back as it came, then the tool's result and a thank-you.</summary>
    private static MessageCreateParams ContinueWithToolResult(string model, Message first, string callId) => new()
    {
        Model = model,
        MaxTokens = 100,
        Tools = [WeatherTool],
        Messages =
        [
            new UserMessageParam("Weather in Paris?"),
            new AssistantMessageParam(Params(first.Content)),
            new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam(callId) { Content = "18C and sunny" }, new TextBlockParam("Thanks") }),
        ],
    };

    private static MessageCreateParams Think(List<MessageParam> messages) => new()
    {
        Model = Claude,
        MaxTokens = 2000,
        Thinking = new ThinkingConfigEnabled(1024),
        Messages = messages,
    };

    /// <summary>An answer's content blocks as request blocks, the way a client sends the assistant turn back.</summary>
    private static List<ContentBlockParam> Params(IReadOnlyList<ContentBlock> blocks) => blocks.Select(Param).ToList();

    private static ContentBlockParam Param(ContentBlock block)
    {
        if (block.TryPickText(out var text))
        {
            return new TextBlockParam(text.Text);
        }

        if (block.TryPickThinking(out var thinking))
        {
            return new ThinkingBlockParam { Thinking = thinking.Thinking, Signature = thinking.Signature };
        }

        if (block.TryPickToolUse(out var call))
        {
            return new ToolUseBlockParam { ID = call.ID, Name = call.Name, Input = call.Input };
        }

        throw new InvalidOperationException($"Unexpected content block {block.Type.Raw()}.");
    }

    /// <summary>Checks the block is the get_weather call for Paris and returns its id.</summary>
    private static string AssertWeatherCall(ContentBlock block, string callId)
    {
        Assert.True(block.TryPickToolUse(out var call));
        if (callId.EndsWith('_'))
        {
            Assert.StartsWith(callId, call.ID, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(callId, call.ID);
        }

        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", Assert.Single(call.Input, pair => pair.Key == "city").Value.GetString());
        Assert.Single(call.Input);
        return call.ID;
    }
}
