using System.Net;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Admin;
using Gatehouse.Storage.Governance;
using Gatehouse.Storage.RequestLogs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Routing;

/// <summary>Conditional routing rules through HTTP: each matcher, first match wins, the default, the explain header and the log field.</summary>
public sealed class ConditionalRoutingTests : IAsyncLifetime
{
    private const string Yaml = """
        providers:
          - { name: mock, kind: mock }
        models:
          - { name: general, targets: [{ provider: mock, model: general }] }
        routers:
          - name: auto
            aliases: [auto-eu]
            rules:
              - name: eu-name
                when: { models: [auto-eu] }
                model: mock/eu
              - name: premium-header
                when: { headers: { x-tier: [gold, "plat*"] } }
                model: mock/premium
              - name: research-team
                when: { teams: [research] }
                model: mock/research
              - name: ada
                when: { users: ada }
                model: mock/ada
              - name: beta-tag
                when: { tags: [beta] }
                model: mock/beta
              - name: vision
                when: { has_images: true }
                model: mock/vision
              - name: tools
                when: { has_tools: true }
                model: mock/tools
              - name: long-prompts
                when: { min_prompt_tokens: 2000 }
                model: mock/long
              - name: short-at-night
                when: { max_prompt_tokens: 50, hours: "22:00-06:00" }
                model: mock/night
            default: general
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, string> _keys = [];
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync(time: _time, configure: (config, _, _) => RouterYaml.AddTo(config, Yaml));
        var directory = _host.App.Services.GetRequiredService<DirectoryAdministration>();
        await directory.CreateAsync(AdminCaller.Cli, EntityKind.Team, new EntityRequest { Id = "research" }, CancellationToken.None);
        await directory.CreateAsync(AdminCaller.Cli, EntityKind.Team, new EntityRequest { Id = "sales" }, CancellationToken.None);
        await directory.CreateAsync(AdminCaller.Cli, EntityKind.User, new EntityRequest { Id = "ada", TeamId = "sales" }, CancellationToken.None);
        _keys["plain"] = await KeyAsync(new KeyCreateRequest { Name = "plain" });
        _keys["research"] = await KeyAsync(new KeyCreateRequest { TeamId = "research" });
        _keys["ada"] = await KeyAsync(new KeyCreateRequest { UserId = "ada" });
        _keys["beta"] = await KeyAsync(new KeyCreateRequest { Tags = ["beta"] });
        _keys["router-only"] = await KeyAsync(new KeyCreateRequest { AllowedModels = ["auto"] });
        _keys["general-only"] = await KeyAsync(new KeyCreateRequest { AllowedModels = ["general"] });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Without_a_matching_rule_the_default_serves_and_the_header_says_so()
    {
        var (model, route) = await RouteAsync("plain", Chat("auto", "hello"));
        Assert.Equal("general", model);
        Assert.Equal("router=auto default model=general", route);
    }

    [Fact]
    public async Task A_header_matches_by_exact_value_or_glob()
    {
        Assert.Equal(("premium", "router=auto rule=premium-header model=mock/premium"), await RouteAsync("plain", Chat("auto", "hello"), ("x-tier", "gold")));
        Assert.Equal("premium", (await RouteAsync("plain", Chat("auto", "hello"), ("X-Tier", "platinum"))).Model);
        Assert.Equal("general", (await RouteAsync("plain", Chat("auto", "hello"), ("x-tier", "bronze"))).Model);
    }

    [Fact]
    public async Task The_first_matching_rule_wins()
    {
        // The research key also matches research-team, but premium-header comes first.
        Assert.Equal("premium", (await RouteAsync("research", Chat("auto", "hello"), ("x-tier", "gold"))).Model);
        Assert.Equal("research", (await RouteAsync("research", Chat("auto", "hello"))).Model);
    }

    [Fact]
    public async Task The_callers_team_user_and_tags_pick_rules()
    {
        Assert.Equal(("research", "router=auto rule=research-team model=mock/research"), await RouteAsync("research", Chat("auto", "hi")));
        Assert.Equal(("ada", "router=auto rule=ada model=mock/ada"), await RouteAsync("ada", Chat("auto", "hi")));
        Assert.Equal(("beta", "router=auto rule=beta-tag model=mock/beta"), await RouteAsync("beta", Chat("auto", "hi")));
    }

    [Fact]
    public async Task The_requested_name_tools_and_images_pick_rules()
    {
        Assert.Equal("eu", (await RouteAsync("plain", Chat("auto-eu", "hi"))).Model);
        var tools = """{"model":"auto","messages":[{"role":"user","content":"weather?"}],"tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}]}""";
        Assert.Equal(("tools", "router=auto rule=tools model=mock/tools"), await RouteAsync("plain", tools));
        var image = """{"model":"auto","messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}""";
        Assert.Equal(("vision", "router=auto rule=vision model=mock/vision"), await RouteAsync("plain", image));
    }

    [Fact]
    public async Task Prompt_size_sends_long_prompts_to_the_long_context_model()
    {
        // About 7,000 characters estimate to more than 2,000 tokens.
        var longText = string.Join(' ', Enumerable.Repeat("The quarterly report covers revenue, costs and outlook.", 130));
        Assert.Equal(("long", "router=auto rule=long-prompts model=mock/long"), await RouteAsync("plain", Chat("auto", longText)));
        Assert.Equal("general", (await RouteAsync("plain", Chat("auto", "short"))).Model);
    }

    [Fact]
    public async Task Hours_follow_the_injected_clock_in_utc_and_wrap_past_midnight()
    {
        Assert.Equal("general", (await RouteAsync("plain", Chat("auto", "hi"))).Model);
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 26, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal(("night", "router=auto rule=short-at-night model=mock/night"), await RouteAsync("plain", Chat("auto", "hi")));
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 5, 59, 0, TimeSpan.Zero));
        Assert.Equal("night", (await RouteAsync("plain", Chat("auto", "hi"))).Model);
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 6, 0, 0, TimeSpan.Zero));
        Assert.Equal("general", (await RouteAsync("plain", Chat("auto", "hi"))).Model);
    }

    [Fact]
    public async Task A_key_allowed_the_router_may_use_its_routes_but_not_the_other_way_round()
    {
        Assert.Equal("premium", (await RouteAsync("router-only", Chat("auto", "hi"), ("x-tier", "gold"))).Model);

        using var request = Request("general-only", Chat("auto", "hi"));
        var denied = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("model_not_allowed", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_decision_is_stored_in_the_request_log()
    {
        using var request = Request("plain", Chat("auto", "hi"));
        request.Headers.Add("x-tier", "gold");
        var response = await _host.Client.SendAsync(request);
        await _host.SingleLogAsync(r => r.Id == response.Header("x-request-id"));
        var logs = await _host.App.Services.GetRequiredService<IRequestLogStore>().QueryAsync(new RequestLogQuery { Model = "auto", Limit = 50 }, CancellationToken.None);
        var record = Assert.Single(logs, r => r.Id == response.Header("x-request-id"));
        var routing = System.Text.Json.JsonDocument.Parse(record.Routing!).RootElement;
        Assert.Equal("router=auto rule=premium-header model=mock/premium", routing.GetProperty("decision").GetString());
        Assert.Equal("premium", record.ModelServed);
    }

    [Fact]
    public async Task Anthropic_clients_are_routed_too()
    {
        using var request = Request("plain", """{"model":"auto","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", "/v1/messages");
        request.Headers.Add("x-tier", "gold");
        var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("router=auto rule=premium-header model=mock/premium", response.Header("x-gatehouse-route"));
    }

    [Fact]
    public async Task Models_lists_router_names_and_embeddings_refuse_them_clearly()
    {
        using var list = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        list.Headers.Authorization = new("Bearer", _keys["plain"]);
        var models = await (await _host.Client.SendAsync(list)).Content.ReadAsStringAsync();
        Assert.Contains("\"id\":\"auto\"", models, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"auto-eu\"", models, StringComparison.Ordinal);

        using var one = new HttpRequestMessage(HttpMethod.Get, "/v1/models/auto");
        one.Headers.Authorization = new("Bearer", _keys["plain"]);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.SendAsync(one)).StatusCode);

        using var embeddings = Request("plain", """{"model":"auto","input":"hi"}""", "/v1/embeddings");
        var refused = await _host.Client.SendAsync(embeddings);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("router_not_for_embeddings", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> KeyAsync(KeyCreateRequest request)
    {
        var result = await _host.App.Services.GetRequiredService<KeyAdministration>().CreateAsync(AdminCaller.Cli, request, CancellationToken.None);
        return result.Value?.Key ?? throw new InvalidOperationException(result.Error!.Message);
    }

    private async Task<(string Model, string Route)> RouteAsync(string key, string body, params (string Name, string Value)[] headers)
    {
        using var request = Request(key, body);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var response = await _host.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (response.Header("x-gatehouse-model"), response.Header("x-gatehouse-route"));
    }

    private HttpRequestMessage Request(string key, string body, string path = "/v1/chat/completions")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", _keys[key]);
        return request;
    }

    private static string Chat(string model, string text) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":{{System.Text.Json.JsonSerializer.Serialize(text)}}}]}""";
}
