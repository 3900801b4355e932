using Gatehouse.Governance.Vault;
using Gatehouse.IntegrationTests.Harness;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>Provider keys sealed in the vault: a team's own key replaces the configured one on its calls.</summary>
public sealed class CredentialVaultTests : IAsyncLifetime
{
    private const string TeamKey = "sk-research-own-key-0123456789";
    private readonly string _masterKey = MasterKeyRing.NewKeyBase64();
    private GatewayTestHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync(masterKeys: (_masterKey, null));
        _admin = await _host.AdminKeyAsync();
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/teams", """{"id":"research"}""", _admin)).Status);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_teams_own_key_is_sealed_at_rest_and_used_only_for_its_calls()
    {
        var (status, view, _) = await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/research-openai", $$"""{"provider":"openai","team_id":"research","value":"{{TeamKey}}"}""", _admin);
        Assert.Equal(200, status);
        Assert.Equal("ok", view.GetProperty("status").GetString());
        Assert.DoesNotContain(TeamKey, view.ToString(), StringComparison.Ordinal);

        var (research, _) = await _host.CreateKeyAsync("""{"team_id":"research"}""", _admin);
        var (other, _) = await _host.CreateKeyAsync("{}", _admin);
        _host.OpenAi.OtherKeys.Add(TeamKey);
        Assert.Equal(200, (await _host.ChatAsync(research, model: "openai/gpt-4o-mini")).Status);
        Assert.Equal("Bearer " + TeamKey, _host.OpenAi.Last().Headers["authorization"]);
        Assert.Equal(200, (await _host.ChatAsync(other, model: "openai/gpt-4o-mini")).Status);
        Assert.Equal("Bearer " + GatewayTestHost.OpenAiKey, _host.OpenAi.Last().Headers["authorization"]);

        // At rest: only the AES-GCM seal, bound to the record.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_host.Directory, "gatehouse.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT sealed FROM credentials WHERE name = 'research-openai'";
            var stored = (string)(await command.ExecuteScalarAsync())!;
            Assert.StartsWith("v1.", stored, StringComparison.Ordinal);
            Assert.DoesNotContain(TeamKey, stored, StringComparison.Ordinal);
        }

        var (_, list, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/credentials", key: _admin);
        Assert.DoesNotContain(TeamKey, list.ToString(), StringComparison.Ordinal);
        await _host.FlushAuditAsync();
        var (_, audit, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/audit", key: _admin);
        Assert.DoesNotContain(TeamKey, audit.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_credential_requests_and_other_teams_are_refused()
    {
        Assert.Equal(400, (await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/x", """{"provider":"nope","value":"k"}""", _admin)).Status);
        Assert.Equal(400, (await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/x", """{"provider":"openai"}""", _admin)).Status);
        var injected = await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/x", """{"provider":"openai","value":"sk-a\r\nX-Injected: 1"}""", _admin);
        Assert.Equal(400, injected.Status);
        Assert.Contains("control characters", injected.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(201, (await _host.SendAsync(HttpMethod.Post, "/admin/api/teams", """{"id":"sales"}""", _admin)).Status);
        var teamAdmin = await _host.AdminKeyAsync("team-admin", "research");
        Assert.Equal(403, (await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/x", """{"provider":"openai","team_id":"sales","value":"k"}""", teamAdmin)).Status);
        Assert.Equal(403, (await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/x", """{"provider":"openai","value":"k"}""", teamAdmin)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/x", """{"provider":"openai","team_id":"research","value":"k"}""", teamAdmin)).Status);

        // Storing replaces by name: a team admin cannot take over a shared key or another team's by reusing its name.
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/shared-openai", """{"provider":"openai","value":"k"}""", _admin)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/sales-openai", """{"provider":"openai","team_id":"sales","value":"k"}""", _admin)).Status);
        foreach (var name in new[] { "shared-openai", "sales-openai" })
        {
            var (takeover, json, _) = await _host.SendAsync(HttpMethod.Put, $"/admin/api/credentials/{name}", """{"provider":"openai","team_id":"research","value":"mine"}""", teamAdmin);
            Assert.Equal(403, takeover);
            Assert.Equal("admin_forbidden", json.ErrorCode());
        }

        var (_, listed, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/credentials", key: _admin);
        Assert.Equal("sales", listed.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "sales-openai").GetProperty("team_id").GetString());
    }

    [Fact]
    public async Task Rotation_reseals_under_the_new_master_key_and_a_gateway_without_the_key_refuses_rather_than_falls_back()
    {
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/admin/api/credentials/shared-openai", $$"""{"provider":"openai","value":"{{TeamKey}}"}""", _admin)).Status);
        var directory = _host.Directory;
        var newKey = MasterKeyRing.NewKeyBase64();
        await _host.App.StopAsync();

        // Restart on the same store with the new key current and the old one previous, then rotate.
        await using (var rotated = await GatewayTestHost.StartAsync(masterKeys: (newKey, _masterKey), directory: directory))
        {
            rotated.OpenAi.OtherKeys.Add(TeamKey);
            var (status, result, _) = await rotated.SendAsync(HttpMethod.Post, "/admin/api/vault/rotate", key: _admin);
            Assert.Equal(200, status);
            Assert.Equal(1, result.GetProperty("rotated").GetInt32());
            Assert.Equal(200, (await rotated.ChatAsync(_admin, model: "openai/gpt-4o-mini")).Status);
            Assert.Equal("Bearer " + TeamKey, rotated.OpenAi.Last().Headers["authorization"]);
        }

        await using var stale = await GatewayTestHost.StartAsync(masterKeys: (_masterKey, null), directory: directory);
        var (refused, json, _) = await stale.ChatAsync(_admin, model: "openai/gpt-4o-mini");
        Assert.Equal(503, refused);
        Assert.Equal("credential_unavailable", json.ErrorCode());
        Assert.Empty(stale.OpenAi.Received);

        // Rotating without the key a credential was sealed under says which one and what to set, instead of a 500.
        var (rotate, rotateJson, _) = await stale.SendAsync(HttpMethod.Post, "/admin/api/vault/rotate", key: _admin);
        Assert.Equal(409, rotate);
        Assert.Equal("vault_key_missing", rotateJson.ErrorCode());
        Assert.Contains("shared-openai", rotateJson.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
