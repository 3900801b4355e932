using System.Globalization;
using System.Text;
using System.Text.Json;
using Gatehouse.IntegrationTests.Governance;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Gatehouse.Storage.Audit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Gatehouse.IntegrationTests.Guardrails;

/// <summary>
/// <c>action: route</c> on output: an answer an output guardrail rejects is served again, once, by the guardrail's
/// route_to model; both calls are charged; the route is recorded in headers, log, routing trace, metrics and audit.
/// </summary>
public sealed class GuardrailOutputRouteTests
{
    private const string Claude = "claude/claude-sonnet-4-5";

    /// <summary>The fake OpenAI answers prose ("OpenAI says: …"); the fake Anthropic answers a forced structured-output tool with {"city":"Paris"}.</summary>
    private const string CitySchemaRequest = """
        {"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Where?"}],
         "response_format":{"type":"json_schema","json_schema":{"name":"place","schema":{"type":"object","required":["city"],"properties":{"city":{"type":"string"}}}}}}
        """;

    private static GuardrailConfig Schema() => new() { Name = "schema", Detector = "json_schema", ApplyTo = ["output"], Action = "route", RouteTo = Claude };

    private static GuardrailConfig Words(string word) => new() { Name = "words", Detector = "content", Banned = [word], ApplyTo = ["output"], Action = "route", RouteTo = Claude };

    [Fact]
    public async Task An_answer_failing_its_json_schema_is_served_again_by_the_route_to_model()
    {
        await using var host = await GuardrailConfigs.StartAsync(Schema());
        var (response, json) = await host.Client.PostJsonAsync("/v1/chat/completions", CitySchemaRequest);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""{"city":"Paris"}""", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
        Assert.Equal("claude-sonnet-4-5", response.Header("x-gatehouse-model"));
        Assert.Equal("2", response.Header("x-gatehouse-attempts"));
        Assert.Equal("schema=routed", response.Header("x-gatehouse-guardrails"));
        Assert.Equal("21", response.Header("x-gatehouse-input-tokens"));
        Assert.Equal("16", response.Header("x-gatehouse-output-tokens"));
        Assert.Single(host.OpenAi.Received);
        Assert.Single(host.Anthropic.Received);

        var log = await host.SingleLogAsync();
        Assert.Equal("schema:output=routed;schema:output=pass", log.Guardrails);
        Assert.Equal(FakeOpenAiAndAnthropic.InputTokens, log.InputTokens);
        Assert.Equal(FakeOpenAiAndAnthropic.OutputTokens, log.OutputTokens);
        Assert.Equal("claude-sonnet-4-5", log.ModelServed);
        var routing = JsonDocument.Parse(log.Routing!).RootElement;
        Assert.Equal(["openai/gpt-4o-mini", Claude], routing.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("target").GetString()));
        var route = routing.GetProperty("guardrail_route");
        Assert.Equal("schema", route.GetProperty("guardrail").GetString());
        Assert.Equal("openai/gpt-4o-mini", route.GetProperty("from").GetString());
        Assert.Equal(Claude, route.GetProperty("to").GetString());
        Assert.Equal(8, route.GetProperty("input_tokens").GetInt32());
        Assert.Equal(7, route.GetProperty("output_tokens").GetInt32());

        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("gatehouse_guardrail_verdicts_total{guardrail=\"schema\",stage=\"output\",outcome=\"routed\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("gatehouse_guardrail_verdicts_total{guardrail=\"schema\",stage=\"output\",outcome=\"pass\"} 1", metrics, StringComparison.Ordinal);

        var audit = await AuditAsync(host);
        var entry = Assert.Single(audit, e => e.Action == "guardrail.route");
        Assert.Equal("guardrail:schema", entry.Target);
        Assert.Equal("rerouted", entry.Outcome);
        Assert.Equal(response.Header("x-request-id"), entry.RequestId);
        var details = JsonDocument.Parse(entry.Details!).RootElement;
        Assert.Equal("output", details.GetProperty("stage").GetString());
        Assert.Equal(Claude, details.GetProperty("route_to").GetString());
    }

    [Fact]
    public async Task After_a_route_the_fallback_header_names_only_fallbacks_of_the_call_that_served()
    {
        // "firm" is Claude, falling back to OpenAI on errors. Claude fails, OpenAI's prose fails the schema, and the
        // route serves the request from Claude: no fallback led to the answer the client gets.
        await using var host = await GatewayTestHost.StartAsync((config, _, _) =>
        {
            config.Guardrails = [Schema()];
            config.Models.Add(new ModelAliasConfig
            {
                Name = "firm",
                Targets = [new TargetConfig { Provider = "claude", Model = "claude-sonnet-4-5" }],
                Fallbacks = [new FallbackConfig { Model = "openai/gpt-4o-mini" }],
            });
        });
        host.Anthropic.FailNext(500, """{"type":"error","error":{"type":"api_error","message":"boom"}}""");

        var (response, json) = await host.Client.PostJsonAsync("/v1/chat/completions", CitySchemaRequest.Replace("openai/gpt-4o-mini", "firm", StringComparison.Ordinal));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""{"city":"Paris"}""", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
        Assert.Equal("schema=routed", response.Header("x-gatehouse-guardrails"));
        Assert.Equal(string.Empty, response.Header("x-gatehouse-fallback"));
        var routing = JsonDocument.Parse((await host.SingleLogAsync()).Routing!).RootElement;
        Assert.Equal(["openai/gpt-4o-mini"], routing.GetProperty("fallbacks").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task An_anthropic_client_gets_the_route_to_models_answer_in_its_own_dialect()
    {
        await using var host = await GuardrailConfigs.StartAsync(Words("OpenAI says"));
        var (response, json) = await host.Client.PostJsonAsync("/v1/messages",
            """{"model":"openai/gpt-4o-mini","max_tokens":50,"messages":[{"role":"user","content":"hello"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("message", json.GetProperty("type").GetString());
        Assert.Equal("Anthropic says: hello", json.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
        Assert.Equal("words=routed", response.Header("x-gatehouse-guardrails"));
        Assert.Equal("words:output=routed;words:output=pass", (await host.SingleLogAsync()).Guardrails);
    }

    [Fact]
    public async Task A_second_violation_blocks_instead_of_routing_again()
    {
        await using var host = await GuardrailConfigs.StartAsync(Words("says"));
        var (response, json) = await host.Client.PostJsonAsync("/v1/chat/completions",
            """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("guardrail_blocked", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(
            "Guardrail 'words' blocked the answer: content policy: banned_phrase (the answer of 'claude/claude-sonnet-4-5', which the request was routed to, failed too).",
            json.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("words=blocked", response.Header("x-gatehouse-guardrails"));
        Assert.Single(host.OpenAi.Received);
        Assert.Single(host.Anthropic.Received);
        var log = await host.SingleLogAsync();
        Assert.Equal("words:output=routed;words:output=blocked", log.Guardrails);
        Assert.Equal(400, log.Status);
        Assert.Equal(FakeOpenAiAndAnthropic.InputTokens, log.InputTokens);
    }

    [Fact]
    public async Task A_route_to_a_model_the_key_may_not_use_is_refused_and_the_rejected_answer_is_still_charged()
    {
        await using var host = await GuardrailConfigs.StartAsync(Words("OpenAI says"));
        var admin = await host.AdminKeyAsync();
        var (key, _) = await host.CreateKeyAsync("""{"allowed_models":["openai/*"]}""", admin);
        var (status, json, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions",
            """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}""", key);

        Assert.Equal(403, status);
        Assert.Equal("model_not_allowed", json.ErrorCode());
        Assert.Empty(host.Anthropic.Received);
        var log = await host.SingleLogAsync();
        Assert.Equal("words:output=routed", log.Guardrails);
        Assert.Equal(8, log.InputTokens);
        Assert.Equal(7, log.OutputTokens);
        Assert.True(log.CostUsd > 0);
    }

    [Fact]
    public async Task The_budget_is_charged_for_the_rejected_answer_and_the_one_served()
    {
        await using var host = await GuardrailConfigs.StartAsync(Words("OpenAI says"));
        var admin = await host.AdminKeyAsync();

        // What each answer costs alone (the admin key is not budgeted; the guardrail passes the Anthropic answer).
        var (_, _, anthropicAlone) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions",
            """{"model":"claude/claude-sonnet-4-5","messages":[{"role":"user","content":"hello"}]}""", admin);
        var anthropicCost = Cost(anthropicAlone);

        var (key, id) = await host.CreateKeyAsync("""{"budget_usd":1}""", admin);
        var (status, _, routed) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions",
            """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}""", key);
        Assert.Equal(200, status);
        Assert.Equal("claude", routed.Header("x-gatehouse-provider"));

        var total = Cost(routed);
        Assert.True(total > anthropicCost, $"{total} must include the rejected answer's cost on top of {anthropicCost}");
        var log = await host.SingleLogAsync(l => l.Guardrails == "words:output=routed;words:output=pass");
        var routing = JsonDocument.Parse(log.Routing!).RootElement.GetProperty("guardrail_route");
        Assert.Equal(total, anthropicCost + routing.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(total, log.CostUsd);

        // Settled just after the answer's last byte.
        await Eventually.HoldsAsync(async () => await SpentAsync(host, admin, id) == total, TimeSpan.FromSeconds(5), () => $"spent {SpentAsync(host, admin, id).Result}, expected {total}");
    }

    private static async Task<decimal> SpentAsync(GatewayTestHost host, string admin, string id)
    {
        var (_, budgets, _) = await host.SendAsync(HttpMethod.Get, "/admin/api/budgets", key: admin);
        return budgets.EnumerateArray().Single(b => b.GetProperty("scope").GetString() == $"key:{id}").GetProperty("spent_usd").GetDecimal();
    }

    [Fact]
    public async Task A_stream_refused_before_its_first_byte_is_served_by_the_route_to_model()
    {
        await using var host = await GuardrailConfigs.StartAsync(Words("launch codes"));
        host.OpenAi.Enqueue(http => WriteOpenAiStreamAsync(http, "The launch codes are 0000. " + string.Concat(Enumerable.Repeat("Filler text. ", 30))));
        var (response, events) = await host.Client.PostSseAsync("/v1/chat/completions",
            """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hello"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
        Assert.Equal("words=routed", response.Header("x-gatehouse-guardrails"));
        Assert.Equal("Anthropic says: hello", ScriptedStreams.OpenAiText(events));
        Assert.Equal("[DONE]", events[^1].Data);
        Assert.Single(host.Anthropic.Received);
        Assert.Equal("words:output=routed;words:output=pass", (await host.SingleLogAsync()).Guardrails);
    }

    [Fact]
    public async Task A_stream_that_already_started_ends_with_an_error_event_instead_of_routing()
    {
        await using var host = await GuardrailConfigs.StartAsync(Words("launch codes"));
        ScriptedStreams.EnqueueOpenAiText(host.OpenAi, string.Concat(Enumerable.Repeat("Safe text. ", 30)), "and the launch ", "codes are 0000.");
        var (_, events) = await host.Client.PostSseAsync("/v1/messages",
            """{"model":"openai/gpt-4o-mini","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.DoesNotContain("launch", ScriptedStreams.AnthropicText(events), StringComparison.Ordinal);
        Assert.Equal("error", events[^1].Event);
        Assert.Equal(
            "Guardrail 'words' blocked the answer: found banned_phrase (the answer had started streaming, so it could not be served by another model).",
            JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(host.Anthropic.Received);
        Assert.Equal("words:output=blocked", (await host.SingleLogAsync()).Guardrails);
    }

    private static async Task WriteOpenAiStreamAsync(Microsoft.AspNetCore.Http.HttpContext http, string text)
    {
        // The whole answer in the first chunk, with the role: the guardrail sees it before anything is committed.
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/event-stream";
        var body = $$"""
            data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":{{JsonSerializer.Serialize(text)}}},"finish_reason":null}]}

            data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: [DONE]


            """;
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ReplaceLineEndings("\n")));
    }

    private static decimal Cost(HttpResponseMessage response) => decimal.Parse(response.Header("x-gatehouse-cost-usd"), CultureInfo.InvariantCulture);

    private static async Task<List<Gatehouse.Governance.Audit.AuditEntry>> AuditAsync(GatewayTestHost host)
    {
        await host.FlushAuditAsync();
        var audit = new List<Gatehouse.Governance.Audit.AuditEntry>();
        await foreach (var record in host.App.Services.GetRequiredService<IAuditStore>().ReadAsync(0, CancellationToken.None))
        {
            audit.Add(record.Entry);
        }

        return audit;
    }

    /// <summary>The usage of one fake OpenAI answer plus one fake Anthropic answer (input tokens without OpenAI's cached ones).</summary>
    private static class FakeOpenAiAndAnthropic
    {
        public const int InputTokens = Fakes.FakeOpenAi.PromptTokens - Fakes.FakeOpenAi.CachedTokens + Fakes.FakeAnthropic.InputTokens;
        public const int OutputTokens = Fakes.FakeOpenAi.CompletionTokens + Fakes.FakeAnthropic.OutputTokens;
    }
}
