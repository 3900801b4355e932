using System.Text.Json;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Guardrails;

/// <summary>Input guardrails on <c>POST /v1/embeddings</c>: every input text is scanned like user text; block, redact, flag; route refuses.</summary>
public sealed class EmbeddingsGuardrailTests
{
    [Fact]
    public async Task Emails_in_every_input_are_redacted_before_the_upstream_sees_them()
    {
        await using var host = await GuardrailConfigs.StartAsync(GuardrailConfigs.Pii());
        var (response, json) = await host.Client.PostJsonAsync("/v1/embeddings",
            """{"model":"openai/text-embedding-3-small","input":["mail jane.doe@example.com","no address here","jane.doe@example.com and bob@example.org"]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(3, json.GetProperty("data").GetArrayLength());
        Assert.Equal(
            ["mail [EMAIL_1]", "no address here", "[EMAIL_1] and [EMAIL_2]"],
            host.OpenAi.LastBody().GetProperty("input").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("pii=redacted", response.Header("x-gatehouse-guardrails"));
        Assert.Equal("pii:input=redacted", (await host.SingleLogAsync()).Guardrails);
    }

    [Fact]
    public async Task An_injection_in_an_input_is_blocked_and_nothing_is_embedded()
    {
        await using var host = await GuardrailConfigs.StartAsync(GuardrailConfigs.Injection());
        var (response, json) = await host.Client.PostJsonAsync("/v1/embeddings",
            $$"""{"model":"openai/text-embedding-3-small","input":"{{GuardrailConfigs.InjectionText}}"}""");

        Assert.Equal(400, (int)response.StatusCode);
        var error = json.GetProperty("error");
        Assert.Equal("guardrail_blocked", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.StartsWith("Guardrail 'injection' blocked the request: prompt injection", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("injection=blocked", response.Header("x-gatehouse-guardrails"));
        Assert.Empty(host.OpenAi.Received);
        var log = await host.SingleLogAsync();
        Assert.Equal(400, log.Status);
        Assert.Equal("injection:input=blocked", log.Guardrails);
    }

    [Fact]
    public async Task A_flag_is_recorded_and_the_inputs_go_upstream_unchanged()
    {
        await using var host = await GuardrailConfigs.StartAsync(GuardrailConfigs.Banned("project falcon", "flag", "input"));
        var (response, _) = await host.Client.PostJsonAsync("/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":"Project Falcon notes"}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("words=flagged", response.Header("x-gatehouse-guardrails"));
        Assert.Equal("Project Falcon notes", host.OpenAi.LastBody().GetProperty("input")[0].GetString());
    }

    [Fact]
    public async Task A_route_verdict_refuses_since_another_models_vectors_would_not_compare()
    {
        var route = GuardrailConfigs.Banned("project falcon", "route", "input");
        route.RouteTo = "claude/claude-sonnet-4-5";
        await using var host = await GuardrailConfigs.StartAsync(route);
        var (response, json) = await host.Client.PostJsonAsync("/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":"Project Falcon notes"}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(
            "Guardrail 'words' blocked the request: content policy: banned_phrase (embeddings cannot be served by another model).",
            json.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(host.OpenAi.Received);
        Assert.Empty(host.Anthropic.Received);
    }

    [Fact]
    public async Task Output_guardrails_do_not_touch_embeddings()
    {
        await using var host = await GuardrailConfigs.StartAsync(GuardrailConfigs.Secrets());
        var (response, json) = await host.Client.PostJsonAsync("/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":"hello"}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(JsonValueKind.Array, json.GetProperty("data").ValueKind);
        Assert.Equal(string.Empty, response.Header("x-gatehouse-guardrails"));
    }

}
