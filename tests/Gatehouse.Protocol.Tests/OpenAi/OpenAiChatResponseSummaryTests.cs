using System.Text;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;
using Xunit;

namespace Gatehouse.Protocol.Tests.OpenAi;

/// <summary>The summary reads of forwarded answers agree with the full decoders on what they read, and reject what they reject.</summary>
public sealed class OpenAiChatResponseSummaryTests
{
    public static TheoryData<string> OpenAiAnswers => new()
    {
        Encoding.UTF8.GetString(Fixture.Bytes("openai", "chat_completion_response.json")),
        """{"id":"c","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi \"there\"\n\u00e9"},"finish_reason":"length"}],"usage":{"prompt_tokens":12,"completion_tokens":3}}""",
        """{"choices":[{"message":{"content":null,"refusal":"No."},"finish_reason":"content_filter"},{"message":{}}],"model":"late-model"}""",
        """{"usage":{"completion_tokens_details":{"reasoning_tokens":7},"prompt_tokens":40,"prompt_tokens_details":{"cached_tokens":30},"completion_tokens":9},"choices":[{"finish_reason":"function_call","message":{"tool_calls":[]}}]}""",
        """{"choices":[{"message":{"content":"x"},"finish_reason":null}],"usage":null,"model":5}""",
        """  {"choices":[{"message":{"content":"x"}}],"extra":{"deep":[1,[2,{"a":[]}]]}}  """,
        """{"choices":[{"finish_reason":{"message":"not a reason"},"message":{"content":"x"}}]}""",
        """{"choices":[{"finish_reason":["stop"],"message":{}}],"usage":{"prompt_tokens":2,"prompt_tokens_details":[1]}}""",
    };

    public static TheoryData<string> MalformedOpenAiAnswers => new()
    {
        "",
        "[]",
        "{",
        """{"choices":[]}""",
        """{"choices":{}}""",
        """{"choices":[1]}""",
        """{"choices":[{"finish_reason":"stop"}]}""",
        """{"choices":[{"message":"text"}]}""",
        """{"choices":[{"message":{}}]} trailing""",
        """{"choices":[{"message":{}}],"usage":{"prompt_tokens":1""",
        """{"choices":[{"finish_reason":{"message":{}}}]}""",
    };

    public static TheoryData<string> AnthropicAnswers => new()
    {
        Encoding.UTF8.GetString(Fixture.Bytes("anthropic", "message_response.json")),
        """{"id":"msg_1","type":"message","model":"claude-x","content":[],"stop_reason":"refusal","usage":{"input_tokens":5,"output_tokens":0}}""",
        """{"usage":{"cache_read_input_tokens":100,"cache_creation_input_tokens":20,"input_tokens":3,"output_tokens":8,"server_tool_use":{"web_search_requests":1}},"content":[{"type":"text","text":"a"}],"id":"m","stop_reason":"max_tokens"}""",
        """{"id":"m","content":[{"type":"tool_use","id":"t","name":"f","input":{"a":[1,2]}}],"stop_reason":"tool_use","stop_sequence":null}""",
        """{"id":"m","content":[],"stop_reason":null,"usage":[]}""",
        """{"id":null,"content":[{"type":"text","text":"an id of null is read as none, not rejected"}]}""",
        """{"id":"m","content":[],"stop_reason":{"nested":"object"}}""",
    };

    public static TheoryData<string> MalformedAnthropicAnswers => new()
    {
        "null",
        """{"content":[]}""",
        """{"id":1,"content":[]}""",
        """{"id":"m"}""",
        """{"id":"m","content":{}}""",
        """{"id":"m","content":["text"]}""",
        """{"id":"m","content":[]}{}""",
    };

    [Theory]
    [MemberData(nameof(OpenAiAnswers))]
    public void OpenAi_summary_reads_the_model_finish_and_usage_the_decoder_reads(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var full = OpenAiChatResponseDecoder.Decode(body);
        var summary = OpenAiChatResponseSummary.Read(body);

        Assert.Equal((full.Model, full.FinishReason, full.Usage), (summary.Model, summary.FinishReason, summary.Usage));
        Assert.Empty(summary.Parts);
    }

    [Theory]
    [MemberData(nameof(MalformedOpenAiAnswers))]
    public void OpenAi_summary_rejects_what_the_decoder_rejects(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        Assert.Equal("upstream_malformed_response", Assert.Throws<GatewayException>(() => OpenAiChatResponseDecoder.Decode(body)).Error.Code);
        Assert.Equal("upstream_malformed_response", Assert.Throws<GatewayException>(() => OpenAiChatResponseSummary.Read(body)).Error.Code);
    }

    [Fact]
    public void Summaries_reject_an_answer_that_is_not_utf8()
    {
        byte[] openAi = [.. "{\"choices\":[{\"message\":{\"content\":\""u8, 0xC3, 0x28, .. "\"}}]}"u8];
        byte[] anthropic = [.. "{\"id\":\"m\",\"content\":[{\"type\":\"text\",\"text\":\""u8, 0xFF, .. "\"}]}"u8];

        Assert.Throws<GatewayException>(() => OpenAiChatResponseDecoder.Decode(openAi));
        Assert.Throws<GatewayException>(() => OpenAiChatResponseSummary.Read(openAi));
        Assert.Throws<GatewayException>(() => AnthropicResponseDecoder.Decode(anthropic, 0));
        Assert.Throws<GatewayException>(() => AnthropicResponseSummary.Read(anthropic, 0));
    }

    [Theory]
    [InlineData("""{"prompt_tokens":5,"completion_tokens":-3,"prompt_tokens_details":{"cached_tokens":9},"completion_tokens_details":{"reasoning_tokens":-1}}""", 0, 0, 5)]
    [InlineData("""{"prompt_tokens":-5,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":-4}}""", 0, 2, 0)]
    public void Usage_a_server_reports_inconsistently_never_goes_below_zero(string usage, long input, long output, long cached)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"choices":[{"message":{"content":"x"},"finish_reason":"stop"}],"usage":{{usage}}}""");
        var expected = new Usage(InputTokens: input, OutputTokens: output, CachedInputTokens: cached);

        Assert.Equal(expected, OpenAiChatResponseDecoder.Decode(body).Usage);
        Assert.Equal(expected, OpenAiChatResponseSummary.Read(body).Usage);
    }

    [Fact]
    public void OpenAi_summary_of_the_fixture_has_exact_values()
    {
        var summary = OpenAiChatResponseSummary.Read(Fixture.Bytes("openai", "chat_completion_response.json"));

        Assert.Equal("gpt-4o-2024-08-06", summary.Model);
        Assert.Equal(FinishReason.ToolCalls, summary.FinishReason);
        Assert.Equal(new Usage(InputTokens: 93, OutputTokens: 46, CachedInputTokens: 1024), summary.Usage);
    }

    [Theory]
    [MemberData(nameof(AnthropicAnswers))]
    public void Anthropic_summary_reads_the_model_stop_reason_and_usage_the_decoder_reads(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var full = AnthropicResponseDecoder.Decode(body, 1_700_000_000);
        var summary = AnthropicResponseSummary.Read(body, 1_700_000_000);

        Assert.Equal((full.Model, full.FinishReason, full.Usage, full.Created), (summary.Model, summary.FinishReason, summary.Usage, summary.Created));
        Assert.Empty(summary.Parts);
    }

    [Theory]
    [MemberData(nameof(MalformedAnthropicAnswers))]
    public void Anthropic_summary_rejects_what_the_decoder_rejects(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        Assert.Equal("upstream_malformed_response", Assert.Throws<GatewayException>(() => AnthropicResponseDecoder.Decode(body, 0)).Error.Code);
        Assert.Equal("upstream_malformed_response", Assert.Throws<GatewayException>(() => AnthropicResponseSummary.Read(body, 0)).Error.Code);
    }
}
