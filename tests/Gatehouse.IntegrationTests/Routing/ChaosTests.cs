using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Xunit;

namespace Gatehouse.IntegrationTests.Routing;

/// <summary>
/// The chaos suite: a virtual model whose targets fail in every way a provider can (500s, 429 with Retry-After,
/// connection refused, hang, slow drip, cut mid-stream, flapping) and one healthy target. A thousand requests,
/// streamed and not, eight at a time, through the real server on real time: all must succeed, no open breaker may
/// see traffic beyond its probes, attempts per request stay bounded, and a hung target costs no more than its
/// first-byte timeout. It runs alone (its own collection, not in parallel with other test classes): the healthy
/// target must answer within the first-byte timeout, which a 2-core machine busy with other tests cannot promise.
/// </summary>
[Collection(nameof(ChaosCollection))]
public sealed class ChaosTests : IAsyncLifetime
{
    private const int Requests = 1000;
    private const int Concurrency = 8;
    private const int BreakerFailures = 3;
    private static readonly TimeSpan FirstByteTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(5);
    private static readonly string[] Modes = ["refused", "err500", "ratelimit", "hang", "drip", "cut", "flap", "ok"];

    private readonly ChaosUpstream _chaos = new(GatewayTestHost.OpenAiKey);
    private FakeServer _chaosServer = null!;
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _chaosServer = await FakeServer.StartAsync(_chaos);
        var refusedPort = ClosedPort();
        _host = await GatewayTestHost.StartAsync(configure: (config, _, _) =>
        {
            var openAi = config.Providers.Single(p => p.Name == "openai");
            openAi.FirstByteTimeout = FirstByteTimeout;
            openAi.Timeout = TotalTimeout;
            config.Models.Add(new ModelAliasConfig
            {
                Name = "chaos",
                Strategy = "round_robin",
                CircuitBreaker = new CircuitBreakerConfig { Failures = BreakerFailures, CoolDown = TimeSpan.FromSeconds(1) },
                Targets = [.. Modes.Select(mode => new TargetConfig
                {
                    Provider = "openai",
                    Model = "gpt-4o-mini",
                    BaseUrl = mode == "refused" ? $"http://127.0.0.1:{refusedPort}/v1" : new Uri(_chaosServer.Url, $"/{mode}/v1").ToString(),
                })],
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _chaosServer.DisposeAsync();
    }

    [Fact]
    public async Task A_thousand_requests_all_succeed_while_every_other_target_fails()
    {
        var failures = new List<string>();
        var maxAttempts = 0;
        var next = -1;
        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests)
            {
                var (ok, attempts, problem) = i % 2 == 0 ? await UnaryAsync(i) : await StreamedAsync(i);
                lock (failures)
                {
                    maxAttempts = Math.Max(maxAttempts, attempts);
                    if (!ok)
                    {
                        failures.Add($"request {i}: {problem}");
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(WorkerAsync)));

        Assert.True(failures.Count == 0, $"{failures.Count} of {Requests} requests failed: {string.Join("; ", failures.Take(5))}");
        Assert.InRange(maxAttempts, 1, Modes.Length);

        // An open breaker lets only its probe through: a failing target sees the failures that opened its breaker
        // (plus what was in flight then) and one request per opening after that, never a share of the traffic.
        var table = JsonDocument.Parse(await _host.Client.GetStringAsync("/admin/api/routing")).RootElement;
        var targets = table.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "chaos").GetProperty("targets");
        for (var t = 0; t < Modes.Length; t++)
        {
            var target = targets[t];
            Assert.Equal($"openai/gpt-4o-mini#{t + 1}", target.GetProperty("name").GetString());
            if (Modes[t] is "ok" or "flap")
            {
                continue;
            }

            var attempts = target.GetProperty("attempts").GetInt64();
            var openings = target.GetProperty("breaker_openings").GetInt64();
            Assert.True(openings >= 1, $"{Modes[t]}: the breaker never opened");
            Assert.True(attempts <= BreakerFailures + Concurrency + openings, $"{Modes[t]}: {attempts} attempts for {openings} breaker openings");
        }

        // A hung target costs its first-byte timeout (1 s), far from the total timeout (5 s) that would cut it otherwise.
        // The bound leaves 1.5 s of slack: with other test assemblies running on a 2-core machine, timer callbacks have
        // come 0.8 s late.
        var hung = _chaos.HeldFor.Where(h => h.Mode == "hang").Select(h => h.Held).ToList();
        Assert.NotEmpty(hung);
        Assert.All(hung, held => Assert.True(held < FirstByteTimeout + TimeSpan.FromMilliseconds(1500), $"a hung attempt was held {held.TotalMilliseconds} ms"));
    }

    private async Task<(bool Ok, int Attempts, string? Problem)> UnaryAsync(int i)
    {
        using var response = await _host.Client.PostAsync("/v1/chat/completions", Body(i, stream: false));
        var text = await response.Content.ReadAsStringAsync();
        var attempts = Attempts(response);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (false, attempts, $"{(int)response.StatusCode} {text}");
        }

        var content = JsonDocument.Parse(text).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        return (content == $"OpenAI says: chaos {i}", attempts, content);
    }

    private async Task<(bool Ok, int Attempts, string? Problem)> StreamedAsync(int i)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Body(i, stream: true) };
        using var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await response.Content.ReadAsStringAsync();
        var attempts = Attempts(response);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (false, attempts, $"{(int)response.StatusCode} {text}");
        }

        var content = new StringBuilder();
        var done = false;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                done = true;
                continue;
            }

            var chunk = JsonDocument.Parse(data).RootElement;
            if (chunk.TryGetProperty("error", out var error))
            {
                return (false, attempts, $"error event {error}");
            }

            if (chunk.GetProperty("choices").GetArrayLength() > 0 && chunk.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var part))
            {
                content.Append(part.GetString());
            }
        }

        return (done && content.ToString() == $"OpenAI says: chaos {i}", attempts, $"done={done} content={content}");
    }

    private static int Attempts(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-gatehouse-attempts", out var values) ? int.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static StringContent Body(int i, bool stream) => new(
        $$"""{"model":"chaos","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"chaos {{i}}"}]}""",
        Encoding.UTF8,
        "application/json");

    /// <summary>A loopback port nothing listens on (connection refused).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>The chaos suite's collection: never in parallel with other tests.</summary>
[CollectionDefinition(nameof(ChaosCollection), DisableParallelization = true)]
public sealed class ChaosCollection;
