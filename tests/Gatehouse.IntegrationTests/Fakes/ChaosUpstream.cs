using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.IntegrationTests.Fakes;

/// <summary>
/// An OpenAI-format upstream that fails on command, one behaviour per path prefix (<c>/{mode}/v1/...</c>), so one
/// server plays many targets: <c>ok</c> answers like <see cref="FakeOpenAi"/>; <c>err500</c> always fails; <c>ratelimit</c>
/// answers 429 with Retry-After: 1; <c>hang</c> never answers; <c>drip</c> sends its answer a byte every 50 ms;
/// <c>cut</c> starts a 200 answer and drops the connection halfway through the first event; <c>flap</c> alternates
/// 25 good answers and 25 failures. Counts requests per mode and how long hung requests waited before the caller left.
/// </summary>
public sealed class ChaosUpstream : IFakeUpstream
{
    private readonly FakeOpenAi _healthy;
    private int _flapCount;

    /// <summary>Creates the upstream; good answers need <paramref name="apiKey"/>.</summary>
    public ChaosUpstream(string apiKey) => _healthy = new FakeOpenAi(apiKey);

    /// <summary>Not recorded: the chaos suite counts per mode instead.</summary>
    public List<RecordedRequest> Received { get; } = [];

    /// <summary>Requests per mode.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    /// <summary>How long each hung or dripped request was held before the gateway gave up on it.</summary>
    public ConcurrentBag<(string Mode, TimeSpan Held)> HeldFor { get; } = [];

    /// <inheritdoc />
    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var mode = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        Requests.AddOrUpdate(mode, 1, static (_, n) => n + 1);
        switch (mode)
        {
            case "ok":
                await _healthy.HandleAsync(context);
                return;
            case "flap":
                if ((Interlocked.Increment(ref _flapCount) - 1) / 25 % 2 == 0)
                {
                    await _healthy.HandleAsync(context);
                    return;
                }

                await FailAsync(context, 500, null);
                return;
            case "err500":
                await FailAsync(context, 500, null);
                return;
            case "ratelimit":
                await FailAsync(context, 429, "1");
                return;
            case "hang":
                await HoldAsync(context, drip: false);
                return;
            case "drip":
                await HoldAsync(context, drip: true);
                return;
            case "cut":
                await CutAsync(context);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private static async Task FailAsync(HttpContext context, int status, string? retryAfter)
    {
        await DrainAsync(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsync(status == 429
            ? """{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}"""
            : """{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}""");
    }

    private async Task HoldAsync(HttpContext context, bool drip)
    {
        await DrainAsync(context);
        var held = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            if (!drip)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = IsStream(context) ? "text/event-stream" : "application/json";
            foreach (var b in Encoding.UTF8.GetBytes("""{"id":"chatcmpl-drip","object":"chat.completion","choices":[]}"""))
            {
                await context.Response.Body.WriteAsync(new[] { b }, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(50, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            HeldFor.Add((drip ? "drip" : "hang", held.Elapsed));
        }
    }

    private static async Task CutAsync(HttpContext context)
    {
        await DrainAsync(context);
        context.Response.StatusCode = 200;
        context.Response.ContentType = IsStream(context) ? "text/event-stream" : "application/json";
        var half = IsStream(context)
            ? """data: {"id":"chatcmpl-cut","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choi"""
            : """{"id":"chatcmpl-cut","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"ind""";
        await context.Response.WriteAsync(half);
        await context.Response.Body.FlushAsync();
        context.Abort();
    }

    private static bool IsStream(HttpContext context) => context.Items["stream"] is true;

    private static async Task DrainAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        context.Items["stream"] = body.Contains("\"stream\":true", StringComparison.Ordinal);
    }
}
