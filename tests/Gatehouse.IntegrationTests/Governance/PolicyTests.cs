using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>Access policies from config files and the admin API, enforced through the HTTP API.</summary>
public sealed class PolicyTests : IAsyncLifetime
{
    private const string Policies = """
        policies:
          - id: research-uses-everything
            effect: permit
            principal: { in: Team::research }
            action: [invoke_model, use_embeddings]
            resource: any
          - id: no-agents-on-openai
            description: agents stay off openai
            effect: forbid
            principal: { type: Agent }
            action: invoke_model
            resource: { in: Provider::openai }
          - id: trial-no-long-prompts
            mode: shadow
            effect: forbid
            principal: any
            action: invoke_model
            resource: any
            when: has(context.estimated_tokens) && context.estimated_tokens > 5
        """;

    private readonly string _policyFile = Path.Combine(Path.GetTempPath(), $"policies-{Guid.NewGuid():n}.yaml");
    private GatewayTestHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_policyFile, Policies);
        _host = await GatewayTestHost.StartAsync(configure: (config, _, _) => config.Governance.PolicyFiles.Add((_policyFile, 1, 1)));
        _admin = await _host.AdminKeyAsync();
        foreach (var (path, body) in new[]
        {
            ("/admin/api/teams", """{"id":"research"}"""),
            ("/admin/api/teams", """{"id":"sales"}"""),
            ("/admin/api/agents", """{"id":"bot","team_id":"research"}"""),
        })
        {
            Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, path, body, _admin)).Status);
        }
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_policyFile);
    }

    [Fact]
    public async Task Permits_by_membership_default_deny_and_forbid_overrides_permit()
    {
        var (research, _) = await _host.CreateKeyAsync("""{"team_id":"research"}""", _admin);
        var (sales, salesId) = await _host.CreateKeyAsync("""{"team_id":"sales"}""", _admin);
        var (agent, _) = await _host.CreateKeyAsync("""{"agent_id":"bot"}""", _admin);

        Assert.Equal(200, (await _host.ChatAsync(research, model: "openai/gpt-4o-mini")).Status);
        var (salesStatus, salesJson, _) = await _host.ChatAsync(sales);
        Assert.Equal(403, salesStatus);
        Assert.Equal("policy_denied", salesJson.ErrorCode());
        Assert.Contains($"no policy permits Key::{salesId}", salesJson.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal(200, (await _host.ChatAsync(agent)).Status);
        var (agentStatus, agentJson, _) = await _host.ChatAsync(agent, model: "openai/gpt-4o-mini");
        Assert.Equal(403, agentStatus);
        Assert.Contains("no-agents-on-openai", agentJson.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_host.OpenAi.Received.Skip(1)); // only the research key's request reached OpenAI

        await _host.FlushAuditAsync();
        var (_, audit, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/audit", key: _admin);
        var denial = audit.EnumerateArray().Single(r => r.GetProperty("outcome").GetString() == "denied" && r.GetProperty("target").GetString() == "Model::openai/gpt-4o-mini");
        Assert.Equal("""{"policies":["no-agents-on-openai"]}""", denial.GetProperty("details").GetString());

        // The shadow statement would deny every prompt over 5 tokens: recorded, not enforced.
        Assert.Contains(audit.EnumerateArray(), r => r.GetProperty("outcome").GetString() == "shadow_deny"
            && r.GetProperty("details").GetString() == """{"policies":["trial-no-long-prompts"]}""");
    }

    [Fact]
    public async Task Policies_stored_through_the_admin_api_are_validated_then_enforced_and_explained()
    {
        var (sales, salesId) = await _host.CreateKeyAsync("""{"team_id":"sales"}""", _admin);
        Assert.Equal(403, (await _host.ChatAsync(sales)).Status);

        var (bad, badJson, _) = await _host.SendAsync(HttpMethod.Put, "/admin/api/policies/sales", "policies:\n  - id: sales\n    effect: permit\n    principal: { in: Team::sales }\n    action: invoke_modle\n    resource: any\n", _admin);
        Assert.Equal(400, bad);
        Assert.Contains("store:sales:5:13: unknown action 'invoke_modle'; did you mean 'invoke_model'?", badJson.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var (clash, clashJson, _) = await _host.SendAsync(HttpMethod.Put, "/admin/api/policies/sales", "policies:\n  - id: research-uses-everything\n    effect: permit\n    principal: any\n    action: any\n    resource: any\n", _admin);
        Assert.Equal(400, clash);
        Assert.Contains("research-uses-everything", clashJson.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/policies/sales", "policies:\n  - id: sales-mock-only\n    effect: permit\n    principal: { in: Team::sales }\n    action: invoke_model\n    resource: { in: Provider::mock }\n", _admin)).Status);
        Assert.Equal(200, (await _host.ChatAsync(sales)).Status);
        Assert.Equal(403, (await _host.ChatAsync(sales, model: "openai/gpt-4o-mini")).Status);

        var (_, test, _) = await _host.SendAsync(HttpMethod.Post, "/admin/api/policies/test", $$"""{"principal":"Key::{{salesId}}","action":"invoke_model","resource":"Model::mock/gatehouse-mock-1"}""", _admin);
        Assert.True(test.GetProperty("allowed").GetBoolean());
        Assert.Equal(["sales-mock-only"], test.GetProperty("determining_policies").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("sales-mock-only", test.GetProperty("explanation").GetString(), StringComparison.Ordinal);

        var (_, list, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/policies", key: _admin);
        Assert.Equal(["config", "store"], list.EnumerateArray().Select(d => d.GetProperty("origin").GetString()));
        Assert.Equal(403, (await _host.SendAsync(HttpMethod.Put, "/admin/api/policies/x", "policies: []\n", await _host.AdminKeyAsync("auditor"))).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Delete, "/admin/api/policies/sales", key: _admin)).Status);
        Assert.Equal(403, (await _host.ChatAsync(sales)).Status);
    }

    [Fact]
    public async Task A_bad_policy_file_makes_the_config_invalid_with_its_position()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-policies-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(file, "policies:\n  - id: x\n    effect: permit\n    principal: { in: Squad::a }\n    action: any\n    resource: any\n");
        try
        {
            var ex = await Assert.ThrowsAsync<Gatehouse.Server.Config.ConfigException>(() => GatewayTestHost.StartAsync(configure: (config, _, _) => config.Governance.PolicyFiles.Add((file, 1, 1))));
            Assert.Contains(ex.Errors, e => e.ToString().StartsWith($"{file}:4:", StringComparison.Ordinal) && e.Message.Contains("Squad", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
