using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>The admin API: roles, team scoping, hierarchy, audit and the OpenAPI document.</summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync();
        _admin = await _host.AdminKeyAsync();
        foreach (var body in new[] { """{"id":"acme"}""" })
        {
            Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/orgs", body, _admin)).Status);
        }

        foreach (var team in new[] { "research", "sales" })
        {
            Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/teams", $$"""{"id":"{{team}}","org_id":"acme"}""", _admin)).Status);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_team_admin_manages_its_own_team_only()
    {
        var teamAdmin = await _host.AdminKeyAsync("team-admin", "research");
        var (own, ownJson, _) = await _host.SendAsync(HttpMethod.Post, "/admin/api/keys", """{"team_id":"research"}""", teamAdmin);
        Assert.Equal(201, own);
        Assert.Equal("acme", ownJson.GetProperty("org_id").GetString());

        var (other, otherJson, _) = await _host.SendAsync(HttpMethod.Post, "/admin/api/keys", """{"team_id":"sales"}""", teamAdmin);
        Assert.Equal(403, other);
        Assert.Equal("admin_forbidden", otherJson.ErrorCode());

        var (escalate, _, _) = await _host.SendAsync(HttpMethod.Post, "/admin/api/keys", """{"team_id":"research","roles":["admin"]}""", teamAdmin);
        Assert.Equal(403, escalate);

        var (_, salesKey) = await _host.CreateKeyAsync("""{"team_id":"sales"}""", _admin);
        var (revoke, _, _) = await _host.SendAsync(HttpMethod.Delete, $"/admin/api/keys/{salesKey}", key: teamAdmin);
        Assert.Equal(403, revoke);
        var (budget, _, _) = await _host.SendAsync(HttpMethod.Put, "/admin/api/budgets", """{"scope":"team:sales","max_usd":5}""", teamAdmin);
        Assert.Equal(403, budget);
        var (ownBudget, _, _) = await _host.SendAsync(HttpMethod.Put, "/admin/api/budgets", """{"scope":"team:research","max_usd":5}""", teamAdmin);
        Assert.Equal(200, ownBudget);

        var (_, visible, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/keys", key: teamAdmin);
        Assert.All(visible.EnumerateArray(), k => Assert.Equal("research", k.GetProperty("team_id").GetString()));
        Assert.Equal(403, (await _host.SendAsync(HttpMethod.Get, "/admin/api/audit", key: teamAdmin)).Status);
    }

    [Fact]
    public async Task A_team_admin_cannot_take_over_another_teams_budget_or_credential_by_reusing_its_id()
    {
        var teamAdmin = await _host.AdminKeyAsync("team-admin", "research");
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/budgets", """{"id":"sales-monthly","scope":"team:sales","max_usd":5}""", _admin)).Status);

        var (takeover, json, _) = await _host.SendAsync(HttpMethod.Put, "/admin/api/budgets", """{"id":"sales-monthly","scope":"team:research","max_usd":1000000}""", teamAdmin);

        Assert.Equal(403, takeover);
        Assert.Equal("admin_forbidden", json.ErrorCode());
        var (_, budgets, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/budgets", key: _admin);
        var kept = budgets.EnumerateArray().Single(b => b.GetProperty("id").GetString() == "sales-monthly");
        Assert.Equal("team:sales", kept.GetProperty("scope").GetString());
        Assert.Equal(5m, kept.GetProperty("max_usd").GetDecimal());
    }

    [Fact]
    public async Task A_team_admin_sees_only_its_teams_budgets_and_limits()
    {
        var teamAdmin = await _host.AdminKeyAsync("team-admin", "research");
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/budgets", """{"scope":"team:sales","max_usd":5}""", _admin)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/budgets", """{"scope":"team:research","max_usd":7}""", _admin)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/limits", """{"scope":"team:sales","rpm":10}""", _admin)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/limits", """{"scope":"team:research","rpm":20}""", _admin)).Status);

        var (_, budgets, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/budgets", key: teamAdmin);
        var (_, limits, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/limits", key: teamAdmin);

        Assert.Equal(["team:research"], budgets.EnumerateArray().Select(b => b.GetProperty("scope").GetString()));
        Assert.Equal(["team:research"], limits.EnumerateArray().Select(l => l.GetProperty("scope").GetString()));
        var (_, all, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/budgets", key: _admin);
        Assert.Equal(2, all.GetArrayLength());
    }

    [Fact]
    public async Task A_team_admin_cannot_name_another_teams_agent_user_or_org_on_a_key_or_agent()
    {
        var teamAdmin = await _host.AdminKeyAsync("team-admin", "research");
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/orgs", """{"id":"other-org"}""", _admin)).Status);
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/users", """{"id":"bob","team_id":"sales"}""", _admin)).Status);
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/agents", """{"id":"sales-bot","team_id":"sales"}""", _admin)).Status);
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/users", """{"id":"rita","team_id":"research"}""", _admin)).Status);

        foreach (var body in new[]
        {
            """{"team_id":"research","agent_id":"sales-bot"}""",
            """{"team_id":"research","user_id":"bob"}""",
            """{"team_id":"research","org_id":"other-org"}""",
        })
        {
            var (status, json, _) = await _host.SendAsync(HttpMethod.Post, "/admin/api/keys", body, teamAdmin);
            Assert.True(status == 403, $"{body}: {status} {json}");
            Assert.Equal("admin_forbidden", json.ErrorCode());
        }

        Assert.Equal(403, (await _host.SendAsync(HttpMethod.Post, "/admin/api/agents", """{"id":"spy","team_id":"research","parent_user_id":"bob"}""", teamAdmin)).Status);
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/agents", """{"id":"helper","parent_user_id":"rita"}""", teamAdmin)).Status);
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/keys", """{"team_id":"research","user_id":"rita"}""", teamAdmin)).Status);
    }

    [Fact]
    public async Task An_entity_with_a_live_key_is_not_deleted_under_it()
    {
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/users", """{"id":"dave","team_id":"research"}""", _admin)).Status);
        var (_, keyId) = await _host.CreateKeyAsync("""{"user_id":"dave"}""", _admin);

        var (refused, json, _) = await _host.SendAsync(HttpMethod.Delete, "/admin/api/users/dave", key: _admin);
        Assert.Equal(409, refused);
        Assert.Contains(keyId, json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Delete, $"/admin/api/keys/{keyId}", key: _admin)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Delete, "/admin/api/users/dave", key: _admin)).Status);
    }

    [Theory]
    [InlineData("""{"rpm":-1}""", "rpm")]
    [InlineData("""{"rpm":0}""", "rpm")]
    [InlineData("""{"max_concurrent":-5}""", "max_concurrent")]
    [InlineData("""{"budget_usd":-1}""", "budget_usd")]
    [InlineData("""{"budget_usd":5,"budget_period":"yearly"}""", "budget_period")]
    [InlineData("""{"tags":[null]}""", "tags")]
    [InlineData("""{"allowed_models":[null]}""", "allowed_models")]
    public async Task Key_limits_and_lists_are_checked_as_strictly_as_their_own_endpoints(string body, string param)
    {
        var (status, json, _) = await _host.SendAsync(HttpMethod.Post, "/admin/api/keys", body, _admin);

        Assert.True(status == 400, $"{body}: {status} {json}");
        Assert.Equal(param, json.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task An_auditor_reads_everything_and_changes_nothing_and_a_client_key_is_no_admin()
    {
        var auditor = await _host.AdminKeyAsync("auditor");
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Get, "/admin/api/keys", key: auditor)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Get, "/admin/api/audit", key: auditor)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Get, "/admin/api/requests", key: auditor)).Status);
        Assert.Equal(403, (await _host.SendAsync(HttpMethod.Post, "/admin/api/keys", "{}", auditor)).Status);
        Assert.Equal(403, (await _host.SendAsync(HttpMethod.Post, "/admin/api/users", """{"id":"eve","team_id":"sales"}""", auditor)).Status);

        var (client, _) = await _host.CreateKeyAsync("{}", _admin);
        var (status, json, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/keys", key: client);
        Assert.Equal(403, status);
        Assert.Equal("admin_role_required", json.ErrorCode());
        Assert.Equal(401, (await _host.SendAsync(HttpMethod.Get, "/admin/api/routing")).Status);
    }

    [Fact]
    public async Task Agents_are_principals_attributed_through_their_parent_user_and_team()
    {
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/users", """{"id":"alice","team_id":"research"}""", _admin)).Status);
        var (agentStatus, agent, _) = await _host.SendAsync(HttpMethod.Post, "/admin/api/agents", """{"id":"triage-bot","parent_user_id":"alice"}""", _admin);
        Assert.Equal(201, agentStatus);
        Assert.Equal("research", agent.GetProperty("team_id").GetString());
        Assert.Equal("acme", agent.GetProperty("org_id").GetString());

        var (_, created, _) = await _host.SendAsync(HttpMethod.Post, "/admin/api/keys", """{"agent_id":"triage-bot"}""", _admin);
        Assert.Equal("alice", created.GetProperty("user_id").GetString());
        Assert.Equal("research", created.GetProperty("team_id").GetString());

        // A per-session budget of the agent: each x-gatehouse-session-id gets its own counter.
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/budgets", """{"scope":"session:agent:triage-bot","max_usd":0.00004}""", _admin)).Status);
        var key = created.GetProperty("key").GetString()!;
        var first = await SessionChatAsync(key, "s1");
        var second = await SessionChatAsync(key, "s1");
        var other = await SessionChatAsync(key, "s2");
        Assert.Equal(200, first);
        Assert.Equal(402, second);
        Assert.Equal(200, other);

        Assert.Equal(409, (await _host.SendAsync(HttpMethod.Post, "/admin/api/agents", """{"id":"triage-bot"}""", _admin)).Status);
        Assert.Equal(409, (await _host.SendAsync(HttpMethod.Delete, "/admin/api/users/alice", key: _admin)).Status);
    }

    [Fact]
    public async Task Every_admin_change_and_denial_lands_in_a_verifiable_audit_chain()
    {
        var (client, clientId) = await _host.CreateKeyAsync("""{"allowed_models":["mock/*"]}""", _admin);
        Assert.Equal(403, (await _host.ChatAsync(client, model: "openai/gpt-4o-mini")).Status);
        await _host.SendAsync(HttpMethod.Delete, $"/admin/api/keys/{clientId}", key: _admin);
        await _host.FlushAuditAsync();

        var (_, records, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/audit", key: _admin);
        var actions = records.EnumerateArray().Select(r => (r.GetProperty("action").GetString(), r.GetProperty("outcome").GetString())).ToList();
        Assert.Contains(("admin:orgs.create", "ok"), actions);
        Assert.Contains(("admin:keys.create", "ok"), actions);
        Assert.Contains(("invoke_model", "denied"), actions);
        Assert.Contains(("admin:keys.revoke", "ok"), actions);
        Assert.Equal(Enumerable.Range(1, actions.Count).Select(i => (long)i), records.EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()));

        var (_, verify, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/audit/verify", key: _admin);
        Assert.True(verify.GetProperty("intact").GetBoolean());
        Assert.Equal(actions.Count, verify.GetProperty("checked").GetInt32());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_admin_route()
    {
        var (status, doc, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/openapi.json");
        Assert.Equal(200, status);
        Assert.Equal("3.1.0", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        var routes = _host.App.Services.GetService(typeof(Microsoft.AspNetCore.Routing.EndpointDataSource)) as Microsoft.AspNetCore.Routing.EndpointDataSource;
        var admin = routes!.Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p.StartsWith("/admin/api", StringComparison.Ordinal))
            .ToHashSet();
        Assert.Equal(admin.Order(StringComparer.Ordinal), paths.Order(StringComparer.Ordinal));
    }

    private async Task<int> SessionChatAsync(string key, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gatehouse-mock-1","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", key);
        request.Headers.Add("x-gatehouse-session-id", session);
        return (int)(await _host.Client.SendAsync(request)).StatusCode;
    }
}
