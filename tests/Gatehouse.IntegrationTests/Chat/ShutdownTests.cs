using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>Stopping the gateway (what SIGTERM does) lets in-flight streams finish before it exits.</summary>
public sealed class ShutdownTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_in_flight_stream_completes_while_the_gateway_stops()
    {
        _host.OpenAi.StreamChunkDelay = TimeSpan.FromMilliseconds(100);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Drain me"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        var firstLine = await reader.ReadLineAsync();
        Assert.StartsWith("data: ", firstLine, StringComparison.Ordinal);

        var stopping = _host.App.StopAsync();
        var rest = await reader.ReadToEndAsync();
        await stopping;

        Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
        // After the role chunk: three text chunks, the finish chunk and [DONE] still arrive.
        Assert.Equal(5, rest.Split("data: ").Length - 1);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => new HttpClient { BaseAddress = _host.BaseUrl }.GetAsync("/healthz"));
    }
}
