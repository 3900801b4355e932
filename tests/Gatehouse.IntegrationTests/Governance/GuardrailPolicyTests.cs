using Gatehouse.IntegrationTests.Guardrails;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>Policy conditions over input guardrail verdicts: decided after inspect-in.</summary>
public sealed class GuardrailPolicyTests
{
    [Fact]
    public async Task A_forbid_on_a_flagged_verdict_denies_only_the_requests_the_guardrail_flagged()
    {
        var file = Path.Combine(Path.GetTempPath(), $"guardrail-policies-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(file, """
            policies:
              - id: everyone
                effect: permit
                principal: any
                action: [invoke_model, use_embeddings]
                resource: any
              - id: no-pii-for-contractors
                effect: forbid
                principal: { in: Team::contractors }
                action: invoke_model
                resource: any
                when: '"pii" in context.guardrails && context.guardrails["pii"] == "flagged"'
            """);
        try
        {
            await using var host = await GatewayTestHost.StartAsync(configure: (config, _, _) =>
            {
                config.Governance.PolicyFiles.Add((file, 1, 1));
                config.Guardrails.Add(GuardrailConfigs.Pii("flag"));
            });
            var admin = await host.AdminKeyAsync();
            Assert.Equal(201, (await host.SendAsync(HttpMethod.Post, "/admin/api/teams", """{"id":"contractors"}""", admin)).Status);
            var (contractor, _) = await host.CreateKeyAsync("""{"team_id":"contractors"}""", admin);
            var (employee, _) = await host.CreateKeyAsync("{}", admin);
            const string Email = ""","messages":[{"role":"user","content":"mail jane.doe@example.com the report"}]""";

            Assert.Equal(200, (await host.ChatAsync(contractor)).Status);
            var (status, json, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", "{\"model\":\"gatehouse-mock-1\"" + Email + "}", contractor);
            Assert.Equal(403, status);
            Assert.Contains("no-pii-for-contractors", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(200, (await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", "{\"model\":\"gatehouse-mock-1\"" + Email + "}", employee)).Status);
            Assert.Equal(200, (await host.SendAsync(HttpMethod.Post, "/v1/embeddings", """{"model":"mock/gatehouse-mock-embed","input":"x"}""", contractor)).Status);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
