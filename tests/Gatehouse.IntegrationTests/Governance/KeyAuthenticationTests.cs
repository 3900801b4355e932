using System.Net;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Governance;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Governance;

/// <summary>Virtual keys through the HTTP API: open mode, then every deny path once a key exists.</summary>
public sealed class KeyAuthenticationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(time: _time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Open_mode_serves_loopback_callers_without_a_key_until_the_first_key_exists()
    {
        var (open, _, _) = await _host.ChatAsync(key: "sk-placeholder-the-sdk-insists-on");
        Assert.Equal(200, open);

        var (key, _) = await _host.CreateKeyAsync("""{"name":"first","roles":["admin"]}""");
        Assert.StartsWith("gh_", key, StringComparison.Ordinal);
        Assert.Equal(59, key.Length);

        var (missing, json, _) = await _host.ChatAsync(key: null);
        Assert.Equal(401, missing);
        Assert.Equal("missing_api_key", json.ErrorCode());
        Assert.Equal("authentication_error", json.GetProperty("error").GetProperty("type").GetString());

        var (placeholder, placeholderJson, _) = await _host.ChatAsync(key: "sk-placeholder-the-sdk-insists-on");
        Assert.Equal(401, placeholder);
        Assert.Equal("invalid_api_key", placeholderJson.ErrorCode());

        Assert.Equal(200, (await _host.ChatAsync(key)).Status);
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Post, "/v1/messages", """{"model":"gatehouse-mock-1","max_tokens":10,"messages":[{"role":"user","content":"x"}]}""", key, scheme: "x-api-key")).Status);
    }

    [Fact]
    public async Task A_key_with_a_wrong_secret_or_malformed_form_is_refused_with_one_message_that_leaks_nothing()
    {
        var (admin, _) = await CreateAdminKeyDirectlyAsync();
        var (key, id) = await _host.CreateKeyAsync(adminKey: admin);
        var wrongSecret = key[..^4] + (key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        foreach (var candidate in new[] { wrongSecret, "gh_" + id, key + "x", "gh_zzzzzzzzzzzz_" + key[16..], "Bearer", new string('a', 5000) })
        {
            var (status, json, _) = await _host.ChatAsync(candidate);
            Assert.Equal(401, status);
            Assert.Equal("invalid_api_key", json.ErrorCode());
            Assert.DoesNotContain(id, json.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("3000000d")]
    [InlineData("1e9d")]
    [InlineData("NaNh")]
    public async Task An_expiry_no_one_means_is_a_400_not_a_500(string expiresIn)
    {
        var (admin, _) = await CreateAdminKeyDirectlyAsync();

        var (status, json, _) = await _host.SendAsync(HttpMethod.Post, "/admin/api/keys", $$"""{"expires_in":"{{expiresIn}}"}""", admin);

        Assert.Equal(400, status);
        Assert.Contains("expires_in", json.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_and_expired_keys_are_refused_and_the_anthropic_dialect_gets_its_own_error_shape()
    {
        var (admin, _) = await CreateAdminKeyDirectlyAsync();
        var (revoked, revokedId) = await _host.CreateKeyAsync(adminKey: admin);
        var (expiring, _) = await _host.CreateKeyAsync("""{"expires_in":"1h"}""", admin);
        Assert.Equal(200, (await _host.ChatAsync(revoked)).Status);
        Assert.Equal(200, (await _host.ChatAsync(expiring)).Status);

        var (revokeStatus, revokeJson, _) = await _host.SendAsync(HttpMethod.Delete, $"/admin/api/keys/{revokedId}", key: null);
        Assert.Equal(401, revokeStatus); // keys exist: the admin API needs an admin key too
        Assert.Equal("missing_api_key", revokeJson.ErrorCode());
        (revokeStatus, revokeJson, _) = await _host.SendAsync(HttpMethod.Delete, $"/admin/api/keys/{revokedId}", key: admin);
        Assert.Equal(200, revokeStatus);
        Assert.Equal("revoked", revokeJson.GetProperty("status").GetString());

        var (status, json, _) = await _host.SendAsync(HttpMethod.Post, "/v1/messages", """{"model":"gatehouse-mock-1","max_tokens":10,"messages":[{"role":"user","content":"x"}]}""", revoked, scheme: "x-api-key");
        Assert.Equal(401, status);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("authentication_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("This API key was revoked.", json.GetProperty("error").GetProperty("message").GetString());

        _time.Advance(TimeSpan.FromMinutes(61));
        var (expired, expiredJson, _) = await _host.ChatAsync(expiring);
        Assert.Equal(401, expired);
        Assert.Equal("expired_api_key", expiredJson.ErrorCode());
    }

    [Fact]
    public async Task Allowed_models_and_source_networks_are_enforced_with_403()
    {
        var (admin, _) = await CreateAdminKeyDirectlyAsync();
        var (limited, _) = await _host.CreateKeyAsync("""{"allowed_models":["mock/*","gatehouse-mock-1"]}""", admin);
        Assert.Equal(200, (await _host.ChatAsync(limited)).Status);
        var (denied, json, _) = await _host.ChatAsync(limited, model: "openai/gpt-4o-mini");
        Assert.Equal(403, denied);
        Assert.Equal("model_not_allowed", json.ErrorCode());
        Assert.Empty(_host.OpenAi.Received);

        var (elsewhere, _) = await _host.CreateKeyAsync("""{"allowed_cidrs":["10.0.0.0/8","2001:db8::/32"]}""", admin);
        var (fromHere, hereJson, _) = await _host.ChatAsync(elsewhere);
        Assert.Equal(403, fromHere);
        Assert.Equal("source_ip_not_allowed", hereJson.ErrorCode());

        var (local, _) = await _host.CreateKeyAsync("""{"allowed_cidrs":["127.0.0.0/8"]}""", admin);
        Assert.Equal(200, (await _host.ChatAsync(local)).Status);
    }

    [Fact]
    public async Task Embeddings_need_a_key_too()
    {
        var (admin, _) = await CreateAdminKeyDirectlyAsync();
        await _host.CreateKeyAsync(adminKey: admin);
        var (status, json, _) = await _host.SendAsync(HttpMethod.Post, "/v1/embeddings", """{"model":"mock/gatehouse-mock-embed","input":"x"}""");
        Assert.Equal(401, status);
        Assert.Equal("missing_api_key", json.ErrorCode());
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("2001:db8::1")]
    public async Task Open_mode_refuses_callers_that_are_not_on_this_machine(string remote)
    {
        var identifier = _host.App.Services.GetRequiredService<CallerIdentifier>();
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        var (principal, error) = await identifier.IdentifyAsync(http);
        Assert.Null(principal);
        Assert.Equal("open_mode_loopback_only", error!.Code);
        Assert.Equal(401, error.HttpStatus);
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes()
    {
        var (admin, _) = await CreateAdminKeyDirectlyAsync();
        var (key, id) = await _host.CreateKeyAsync(adminKey: admin);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_host.Directory, "gatehouse.db"));
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        Assert.DoesNotContain(key[16..], text, StringComparison.Ordinal);
        var (_, list, _) = await _host.SendAsync(HttpMethod.Get, "/admin/api/keys", key: admin);
        Assert.DoesNotContain(key, list.ToString(), StringComparison.Ordinal);
        Assert.Contains(list.EnumerateArray(), k => k.GetProperty("id").GetString() == id && !k.TryGetProperty("key", out _));
    }

    private async Task<(string Key, string Id)> CreateAdminKeyDirectlyAsync()
    {
        var keys = _host.App.Services.GetRequiredService<Gatehouse.Server.Admin.KeyAdministration>();
        var result = await keys.CreateAsync(Gatehouse.Server.Admin.AdminCaller.Cli, new Gatehouse.Server.Admin.KeyCreateRequest { Roles = ["admin"] }, CancellationToken.None);
        return (result.Value!.Key!, result.Value.Id);
    }
}
