using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using Xunit;

namespace Gatehouse.IntegrationTests.Sdk;

/// <summary>
/// The official OpenAI .NET SDK as a real client of a real gateway in front of the fakes: chat (plain, streamed,
/// tools, tool conversations), errors and embeddings, with the exact answers and usage the gateway reports.
/// </summary>
public sealed class OpenAiDotNetSdkTests : IAsyncLifetime
{
    private const string Gemini = "gemini/gemini-2.5-flash";
    private const string Claude = "claude/claude-sonnet-4-5";

    private static readonly ChatTool WeatherTool = ChatTool.CreateFunctionTool(
        "get_weather",
        "Current weather in a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    // Usage as an OpenAI client sees it: prompt_tokens include cached ones. OpenAI is passed through (11, 3 cached);
    // Anthropic's 13 input + 2 cache read + 1 cache write make 16, 2 cached; the fake Gemini counts words
    // ("Hello there" is 2, "Gemini says: Hello there" is 4).
    [Theory]
    [InlineData("openai/gpt-4o-mini", "gpt-4o-mini", "OpenAI says: ", 11, 7, 3)]
    [InlineData(Claude, "claude-sonnet-4-5", "Anthropic says: ", 16, 9, 2)]
    [InlineData(Gemini, "gemini-2.5-flash", "Gemini says: ", 2, 4, 0)]
    public async Task Chat_completion_returns_the_exact_answer_and_usage(string model, string servedModel, string says, int prompt, int completion, int cached)
    {
        ChatCompletion answer = await Chat(model).CompleteChatAsync([new UserChatMessage("Hello there")]);

        Assert.Equal(says + "Hello there", Assert.Single(answer.Content).Text);
        Assert.Equal(ChatMessageRole.Assistant, answer.Role);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Equal(servedModel, answer.Model);
        Assert.Empty(answer.ToolCalls);
        Assert.Equal(prompt, answer.Usage.InputTokenCount);
        Assert.Equal(completion, answer.Usage.OutputTokenCount);
        Assert.Equal(prompt + completion, answer.Usage.TotalTokenCount);
        Assert.Equal(cached, answer.Usage.InputTokenDetails.CachedTokenCount);
    }

    // "sturdy" tries claude first; the raw response tells the client who served it.
    [Fact]
    public async Task Virtual_model_answer_names_the_provider_that_served_it()
    {
        var result = await Chat("sturdy").CompleteChatAsync([new UserChatMessage("Who serves?")]);

        Assert.Equal("Anthropic says: Who serves?", Assert.Single(result.Value.Content).Text);
        var headers = result.GetRawResponse().Headers;
        Assert.True(headers.TryGetValue("x-gatehouse-provider", out var provider));
        Assert.Equal("claude", provider);
        Assert.True(headers.TryGetValue("x-gatehouse-model", out var served));
        Assert.Equal("claude-sonnet-4-5", served);
        Assert.True(headers.TryGetValue("x-gatehouse-attempts", out var attempts));
        Assert.Equal("1", attempts);
    }

    // The SDK always asks for stream usage (stream_options.include_usage), so the last update carries it.
    [Theory]
    [InlineData("openai/gpt-4o-mini", "OpenAI says: ", 11, 7, 3)]
    [InlineData(Claude, "Anthropic says: ", 16, 9, 2)]
    [InlineData(Gemini, "Gemini says: ", 2, 4, 0)]
    public async Task Streamed_chat_arrives_as_text_deltas_and_ends_with_usage(string model, string says, int prompt, int completion, int cached)
    {
        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Chat(model).CompleteChatStreamingAsync([new UserChatMessage("Stream please")]))
        {
            updates.Add(update);
        }

        var deltas = updates.SelectMany(u => u.ContentUpdate).Select(part => part.Text).Where(text => text.Length > 0).ToList();
        Assert.True(deltas.Count > 1, $"expected the answer in several deltas, got {deltas.Count}");
        Assert.Equal(says + "Stream please", string.Concat(deltas));
        Assert.Equal(ChatFinishReason.Stop, Assert.Single(updates, u => u.FinishReason is not null).FinishReason);
        var usage = Assert.Single(updates, u => u.Usage is not null).Usage;
        Assert.Same(usage, updates[^1].Usage);
        Assert.Equal(prompt, usage.InputTokenCount);
        Assert.Equal(completion, usage.OutputTokenCount);
        Assert.Equal(prompt + completion, usage.TotalTokenCount);
        Assert.Equal(cached, usage.InputTokenDetails.CachedTokenCount);
    }

    // Gemini has no call ids: the gateway makes one up ("call_…").
    [Theory]
    [InlineData("openai/gpt-4o-mini", "call_fake_1")]
    [InlineData(Claude, "toolu_fake_1")]
    [InlineData(Gemini, "call_")]
    public async Task Required_tool_choice_returns_the_tool_call(string model, string callId)
    {
        var answer = await AskForWeatherAsync(model);

        Assert.Equal(ChatFinishReason.ToolCalls, answer.FinishReason);
        Assert.Empty(answer.Content);
        var call = Assert.Single(answer.ToolCalls);
        AssertCallId(callId, call.Id);
        Assert.Equal(ChatToolCallKind.Function, call.Kind);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());
    }

    [Theory]
    [InlineData("openai/gpt-4o-mini", "call_fake_1")]
    [InlineData(Claude, "toolu_fake_1")]
    [InlineData(Gemini, "call_")]
    public async Task Streamed_tool_call_arguments_accumulate_to_the_exact_json(string model, string callId)
    {
        var updates = new List<StreamingChatToolCallUpdate>();
        ChatFinishReason? finish = null;
        await foreach (var update in Chat(model).CompleteChatStreamingAsync([new UserChatMessage("Weather in Paris?")], WeatherOptions()))
        {
            updates.AddRange(update.ToolCallUpdates);
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.All(updates, u => Assert.Equal(0, u.Index));
        AssertCallId(callId, Assert.Single(updates, u => u.ToolCallId is not null).ToolCallId);
        Assert.Equal("get_weather", Assert.Single(updates, u => u.FunctionName is not null).FunctionName);
        var arguments = new List<byte>();
        foreach (var update in updates)
        {
            arguments.AddRange(update.FunctionArgumentsUpdate?.ToArray() ?? []);
        }

        Assert.Equal("""{"city":"Paris"}""", Encoding.UTF8.GetString([.. arguments]));
    }

    // The fake Anthropic checks that every tool_result answers an earlier tool_use and that roles alternate; it
    // echoes the latest user text, and the newest user turn holds only the tool result.
    [Fact]
    public async Task Tool_conversation_continues_on_claude_after_the_tool_result()
    {
        var answer = await ContinueWithToolResultAsync(Claude);

        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Equal("Anthropic says: Weather in Paris?", Assert.Single(answer.Content).Text);
        var messages = _host.Anthropic.LastBody().GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        var toolUse = messages[1].GetProperty("content")[0];
        Assert.Equal("tool_use", toolUse.GetProperty("type").GetString());
        Assert.Equal("toolu_fake_1", toolUse.GetProperty("id").GetString());
        Assert.Equal("Paris", toolUse.GetProperty("input").GetProperty("city").GetString());
        var toolResult = messages[2].GetProperty("content")[0];
        Assert.Equal("toolu_fake_1", toolResult.GetProperty("tool_use_id").GetString());
        Assert.Equal("18C and sunny", toolResult.GetProperty("content").GetString());
    }

    // The fake Gemini answers a turn of function responses with the last response's JSON.
    [Fact]
    public async Task Tool_conversation_continues_on_gemini_after_the_tool_result()
    {
        var answer = await ContinueWithToolResultAsync(Gemini);

        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Equal("""Gemini says: {"content":"18C and sunny"}""", Assert.Single(answer.Content).Text);
        var contents = FakeGeminiBody().GetProperty("contents");
        Assert.Equal(3, contents.GetArrayLength());
        var call = contents[1].GetProperty("parts")[0];
        Assert.Equal("model", contents[1].GetProperty("role").GetString());
        Assert.Equal("get_weather", call.GetProperty("functionCall").GetProperty("name").GetString());
        Assert.Equal("Paris", call.GetProperty("functionCall").GetProperty("args").GetProperty("city").GetString());
        Assert.Equal(FakeGemini.ThoughtSignature, call.GetProperty("thoughtSignature").GetString());
        var response = contents[2].GetProperty("parts")[0].GetProperty("functionResponse");
        Assert.Equal("get_weather", response.GetProperty("name").GetString());
        Assert.Equal("18C and sunny", response.GetProperty("response").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Unknown_model_is_a_client_result_exception_with_status_404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat("nope/none").CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    // OpenAI accepts images in user messages only; the gateway says so before any upstream is asked.
    [Fact]
    public async Task Bad_request_is_a_client_result_exception_with_status_400()
    {
        ChatMessage[] messages =
        [
            new UserChatMessage("Hi"),
            new AssistantChatMessage(ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/cat.jpg"))),
            new UserChatMessage("What was that?"),
        ];
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat("openai/gpt-4o-mini").CompleteChatAsync(messages));

        Assert.Equal(400, error.Status);
        Assert.Contains("invalid_request_error", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
        Assert.Empty(_host.OpenAi.Received);
    }

    // The SDK asks for base64 embeddings by default; the vectors arrive as float32.
    [Fact]
    public async Task Embeddings_of_two_inputs_return_both_vectors()
    {
        var client = new EmbeddingClient("openai/text-embedding-3-small", new ApiKeyCredential("test"), Options());
        OpenAIEmbeddingCollection embeddings = await client.GenerateEmbeddingsAsync(["first", "second"]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal([0, 1], embeddings.Select(e => e.Index));
        Assert.Equal([0.1f, 0.2f, 0.3f], embeddings[0].ToFloats().ToArray());
        Assert.Equal([0.2f, 0.4f, 0.6f], embeddings[1].ToFloats().ToArray());
        Assert.Equal("text-embedding-3-small", embeddings.Model);
        Assert.Equal(5, embeddings.Usage.InputTokenCount);
        Assert.Equal(5, embeddings.Usage.TotalTokenCount);
    }

    private ChatClient Chat(string model) => new(model, new ApiKeyCredential("test"), Options());

    /// <summary>The gateway's OpenAI endpoint; no retries (they would hide failures), and a hang fails fast.</summary>
    private OpenAIClientOptions Options() => new()
    {
        Endpoint = new Uri(_host.BaseUrl, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(15),
    };

    private static ChatCompletionOptions WeatherOptions() => new()
    {
        Tools = { WeatherTool },
        ToolChoice = ChatToolChoice.CreateRequiredChoice(),
    };

    private async Task<ChatCompletion> AskForWeatherAsync(string model) =>
        await Chat(model).CompleteChatAsync([new UserChatMessage("Weather in Paris?")], WeatherOptions());

    /// <summary>Asks for the weather, then sends the SDK's own assistant turn back with the tool's result.</summary>
    private async Task<ChatCompletion> ContinueWithToolResultAsync(string model)
    {
        var first = await AskForWeatherAsync(model);
        var call = Assert.Single(first.ToolCalls);
        ChatMessage[] messages =
        [
            new UserChatMessage("Weather in Paris?"),
            new AssistantChatMessage(first),
            new ToolChatMessage(call.Id, "18C and sunny"),
        ];
        return await Chat(model).CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { WeatherTool } });
    }

    private System.Text.Json.JsonElement FakeGeminiBody() =>
        System.Text.Json.JsonDocument.Parse(_host.Gemini.Received[^1].Body).RootElement.Clone();

    private static void AssertCallId(string expected, string actual)
    {
        if (expected.EndsWith('_'))
        {
            Assert.StartsWith(expected, actual, StringComparison.Ordinal);
            Assert.True(actual.Length > expected.Length, $"call id '{actual}' has nothing after its prefix");
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }
}
