using System.Text.Json;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Observability;

/// <summary>Request logs through the admin API, Prometheus metrics, model listing and health endpoints.</summary>
public sealed class ObservabilityTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_request_is_logged_with_usage_cost_and_errors_and_can_be_filtered()
    {
        var (ok, _) = await _host.Client.PostJsonAsync("/v1/messages", """{"model":"claude/claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""");
        var (missing, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"nope/none","messages":[{"role":"user","content":"x"}]}""");
        await _host.LogsStoredAsync(2);

        var all = JsonDocument.Parse(await _host.Client.GetStringAsync("/admin/api/requests?since=1h")).RootElement.GetProperty("data");
        Assert.Equal(2, all.GetArrayLength());
        var served = all.EnumerateArray().Single(r => r.GetProperty("status").GetInt32() == 200);
        Assert.Equal(ok.Header("x-request-id"), served.GetProperty("id").GetString());
        Assert.Equal("/v1/messages", served.GetProperty("route").GetString());
        Assert.Equal("claude/claude-sonnet-4-5", served.GetProperty("model_requested").GetString());
        Assert.Equal("claude", served.GetProperty("provider").GetString());
        Assert.Equal("claude-sonnet-4-5", served.GetProperty("model_served").GetString());
        Assert.Equal(13, served.GetProperty("input_tokens").GetInt32());
        Assert.Equal(9, served.GetProperty("output_tokens").GetInt32());
        Assert.Equal(2, served.GetProperty("cached_input_tokens").GetInt32());

        // claude-sonnet-4-5: 13 × $3 + 9 × $15 + 2 × $0.30 (cache read) + 1 × $3.75 (cache write), per million tokens.
        Assert.Equal(0.00017835m, served.GetProperty("cost_usd").GetDecimal());
        Assert.True(served.GetProperty("ttfb_ms").GetDouble() >= 0);

        var errors = JsonDocument.Parse(await _host.Client.GetStringAsync("/admin/api/requests?errors=true")).RootElement.GetProperty("data");
        Assert.Equal(missing.Header("x-request-id"), errors[0].GetProperty("id").GetString());
        Assert.Equal(404, errors[0].GetProperty("status").GetInt32());
        Assert.Equal("model_not_found", errors[0].GetProperty("error_code").GetString());

        var byModel = JsonDocument.Parse(await _host.Client.GetStringAsync("/admin/api/requests?model=claude/claude-sonnet-4-5")).RootElement;
        Assert.Equal(1, byModel.GetProperty("count").GetInt32());
        foreach (var since in new[] { "yesterday-ish", "1e9d", "1000000d", "NaNh" })
        {
            var badQuery = await _host.Client.GetAsync($"/admin/api/requests?since={since}");
            Assert.Equal(400, (int)badQuery.StatusCode);
        }
    }

    [Fact]
    public async Task Request_log_writer_runs_on_its_own_thread_below_normal_priority()
    {
        await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"nope/none","messages":[{"role":"user","content":"x"}]}""");
        await _host.LogsStoredAsync(1);

        // Other test classes start and stop gateways meanwhile: a writer thread can vanish while it is read, or be seen
        // in the microseconds between getting its name and lowering its priority. So look again until every writer
        // seen is at nice 5; one that stays at another value fails the test.
        var writers = WriterNiceValues();
        for (var look = 0; look < 50 && (writers.Count == 0 || writers.Exists(nice => nice != 5)); look++)
        {
            await Task.Delay(100);
            writers = WriterNiceValues();
        }

        Assert.NotEmpty(writers);
        Assert.All(writers, nice => Assert.Equal(5, nice));
    }

    /// <summary>The nice values of this process's request log writer threads (the tests build for linux-x64).</summary>
    private static List<int> WriterNiceValues()
    {
        var values = new List<int>();
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                // The OS thread name is cut to 15 characters; field 19 of /proc/.../stat is the nice value.
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd() == "request log wri")
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    values.Add(int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (IOException)
            {
                // The thread ended while it was being read.
            }
        }

        return values;
    }

    [Fact]
    public async Task Metrics_count_requests_tokens_cost_and_upstream_errors()
    {
        await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"x"}]}""");
        _host.OpenAi.FailNext(500, """{"error":{"message":"boom"}}""");
        await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"x"}]}""");
        var response = await _host.Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("gatehouse_requests_total{route=\"/v1/chat/completions\",provider=\"openai\",model=\"gpt-4o-mini\",status=\"200\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gatehouse_requests_total{route=\"/v1/chat/completions\",provider=\"openai\",model=\"gpt-4o-mini\",status=\"502\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gatehouse_tokens_total{provider=\"openai\",model=\"gpt-4o-mini\",type=\"input\"} 8\n", text, StringComparison.Ordinal);
        Assert.Contains("gatehouse_tokens_total{provider=\"openai\",model=\"gpt-4o-mini\",type=\"output\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("gatehouse_upstream_errors_total{provider=\"openai\",model=\"gpt-4o-mini\",code=\"upstream_error\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gatehouse_request_duration_seconds_count{route=\"/v1/chat/completions\",provider=\"openai\",model=\"gpt-4o-mini\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("gatehouse_cost_usd_total{provider=\"openai\",model=\"gpt-4o-mini\"} 0.000005625\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_include_process_memory_and_managed_heap_figures()
    {
        await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"x"}]}""");
        GC.Collect(0, GCCollectionMode.Forced, blocking: true); // the gateway runs in this process
        var text = await _host.Client.GetStringAsync("/metrics");

        Assert.True(Gauge(text, "process_resident_memory_bytes") > 1_000_000, text);
        Assert.True(Gauge(text, "dotnet_gc_last_ephemeral_index") >= 1, text);
        Assert.InRange(Gauge(text, "dotnet_gc_last_ephemeral_generation"), 0, 1);
        Assert.True(Gauge(text, "dotnet_gc_last_ephemeral_pause_seconds") > 0, text);
        Assert.True(Gauge(text, "dotnet_gc_last_ephemeral_promoted_bytes") >= 0);
        Assert.True(Gauge(text, "dotnet_gc_last_ephemeral_pinned_objects") >= 0);
        Assert.True(Gauge(text, "process_threads") >= 1);
        Assert.True(Gauge(text, "dotnet_gc_allocated_bytes_total") > 0);
        Assert.True(Gauge(text, "dotnet_gc_committed_bytes") > 0);
        Assert.Contains("# TYPE dotnet_gc_collections_total counter\ndotnet_gc_collections_total{generation=\"0\"} ", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total{generation=\"2\"} ", text, StringComparison.Ordinal);
        Assert.Contains("\nprocess_cpu_seconds_total ", text, StringComparison.Ordinal);
    }

    private static double Gauge(string exposition, string name)
    {
        var line = exposition.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line.AsSpan(name.Length + 1), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Models_endpoint_lists_virtual_and_catalog_models()
    {
        var list = JsonDocument.Parse(await _host.Client.GetStringAsync("/v1/models")).RootElement;
        Assert.Equal("list", list.GetProperty("object").GetString());
        var ids = list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToHashSet();
        Assert.Contains("smart", ids);
        Assert.Contains("openai/gpt-4o-mini", ids);
        Assert.Contains("claude/claude-sonnet-4-5", ids);
        Assert.Contains("gemini/gemini-2.5-flash", ids);
        Assert.Contains("mock/gatehouse-mock-1", ids);

        var one = JsonDocument.Parse(await _host.Client.GetStringAsync("/v1/models/openai/gpt-4o-mini")).RootElement;
        Assert.Equal("openai/gpt-4o-mini", one.GetProperty("id").GetString());
        Assert.Equal(404, (int)(await _host.Client.GetAsync("/v1/models/openai-ish/none")).StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        Assert.Equal("""{"status":"ok"}""", await _host.Client.GetStringAsync("/healthz"));
        var ready = JsonDocument.Parse(await _host.Client.GetStringAsync("/readyz")).RootElement;
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(4, ready.GetProperty("providers").GetInt32());
    }

    [Fact]
    public async Task Embeddings_are_served_and_priced()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":["a","b"],"dimensions":3}""");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(3, _host.OpenAi.LastBody().GetProperty("dimensions").GetInt32());
        Assert.Equal(0.2f, json.GetProperty("data")[1].GetProperty("embedding")[0].GetSingle());
        Assert.Equal(5, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal("0.0000001", response.Header("x-gatehouse-cost-usd"));

        var (bad, badJson) = await _host.Client.PostJsonAsync("/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":[[1,2,3]]}""");
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Equal("input", badJson.GetProperty("error").GetProperty("param").GetString());

        var (noApi, noApiJson) = await _host.Client.PostJsonAsync("/v1/embeddings", """{"model":"claude/claude-sonnet-4-5","input":"x"}""");
        Assert.Equal(400, (int)noApi.StatusCode);
        Assert.Equal("embeddings_not_supported", noApiJson.GetProperty("error").GetProperty("code").GetString());
    }
}
