using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.IntegrationTests.Fakes;

/// <summary>A webhook guardrail endpoint: answers <see cref="Answer"/> as JSON, or hangs until the caller gives up when <see cref="Hang"/> is set.</summary>
public sealed class FakeWebhook : IFakeUpstream
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<RecordedRequest> Received { get; } = [];

    public string Answer { get; set; } = """{"verdict":"pass"}""";

    public bool Hang { get; set; }

    /// <summary>Completes when the first request has arrived.</summary>
    public Task Arrived => _arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public JsonElement LastBody()
    {
        lock (Received)
        {
            return JsonDocument.Parse(Received[^1].Body).RootElement.Clone();
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        lock (Received)
        {
            Received.Add(new RecordedRequest(context.Request.Method, context.Request.Path, new Dictionary<string, string>(), buffer.ToArray()));
        }

        _arrived.TrySetResult();
        if (Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Answer));
    }
}
