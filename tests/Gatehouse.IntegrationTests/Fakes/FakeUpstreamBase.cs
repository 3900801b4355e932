using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.IntegrationTests.Fakes;

/// <summary>Shared plumbing of the fakes: recording, scripted failures, hangs and abort observation.</summary>
public abstract class FakeUpstreamBase : IFakeUpstream
{
    private readonly object _gate = new();
    private readonly Queue<Func<HttpContext, Task>> _scripted = new();

    public List<RecordedRequest> Received { get; } = [];

    private int _arrivals;
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    /// <summary>Completes when at least <paramref name="count"/> requests have arrived in total.</summary>
    public Task WaitForRequestsAsync(int count)
    {
        lock (_gate)
        {
            if (_arrivals >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Completes when a request's connection is aborted by the caller (the gateway).</summary>
    public TaskCompletionSource AbortObserved { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs on every request before it is answered (tests use it to move a fake clock).</summary>
    public Action? OnRequest { get; set; }

    /// <summary>Delay between streamed chunks (real time; only the cancellation test sets it).</summary>
    public TimeSpan StreamChunkDelay { get; set; }

    /// <summary>The next request fails with this status and body (in the provider's error format).</summary>
    public void FailNext(int status, string body, params (string Name, string Value)[] headers) => Enqueue(async http =>
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        foreach (var (name, value) in headers)
        {
            http.Response.Headers[name] = value;
        }

        await http.Response.WriteAsync(body);
    });

    /// <summary>The next request is accepted but never answered until the caller gives up.</summary>
    public void HangNext() => Enqueue(async http =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            AbortObserved.TrySetResult();
        }
    });

    /// <summary>Queues a custom answer for the next request.</summary>
    public void Enqueue(Func<HttpContext, Task> answer)
    {
        lock (_gate)
        {
            _scripted.Enqueue(answer);
        }
    }

    public void ResetAbort() => AbortObserved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        Func<HttpContext, Task>? scripted = null;
        lock (_gate)
        {
            Received.Add(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body));
            _arrivals++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _arrivals).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }

            if (_scripted.Count > 0)
            {
                scripted = _scripted.Dequeue();
            }
        }

        OnRequest?.Invoke();
        if (scripted is not null)
        {
            await scripted(context);
            return;
        }

        await AnswerAsync(context, body);
    }

    /// <summary>The last request received, parsed.</summary>
    public JsonElement LastBody()
    {
        lock (_gate)
        {
            return JsonDocument.Parse(Received[^1].Body).RootElement.Clone();
        }
    }

    public RecordedRequest Last()
    {
        lock (_gate)
        {
            return Received[^1];
        }
    }

    protected abstract Task AnswerAsync(HttpContext http, byte[] body);

    protected static Task WriteJsonAsync(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(json);
    }

    /// <summary>Writes SSE events one by one, flushing each, observing aborts.</summary>
    protected async Task WriteSseAsync(HttpContext http, IEnumerable<string> events)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/event-stream";
        try
        {
            foreach (var sseEvent in events)
            {
                await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(sseEvent), http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                if (StreamChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(StreamChunkDelay, http.RequestAborted);
                }
            }
        }
        catch (OperationCanceledException)
        {
            AbortObserved.TrySetResult();
        }
    }

    protected static string LastUserText(JsonElement messages, string role = "user")
    {
        for (var i = messages.GetArrayLength() - 1; i >= 0; i--)
        {
            var message = messages[i];
            if (message.GetProperty("role").GetString() != role)
            {
                continue;
            }

            var content = message.GetProperty("content");
            if (content.ValueKind == JsonValueKind.String)
            {
                return content.GetString()!;
            }

            foreach (var part in content.EnumerateArray())
            {
                if (part.GetProperty("type").GetString() == "text")
                {
                    return part.GetProperty("text").GetString()!;
                }
            }
        }

        return string.Empty;
    }
}
