using System.Net;
using Microsoft.AspNetCore.Http.Features;

// Forwards POST /json/... to the fake's non-streamed port and POST /sse/... to its streamed port, copying the request
// body and the answer (flushed as it arrives, so streams stay streams). Usage: floor LISTEN_PORT JSON_PORT SSE_PORT
var listenPort = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var upstreams = new[] { $"http://127.0.0.1:{args[1]}", $"http://127.0.0.1:{args[2]}" };

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPAddress.Loopback, listenPort);
});
var app = builder.Build();

using var client = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    ActivityHeadersPropagator = null,
});

app.MapGet("/", () => "floor");
app.MapPost("/{mode}/{**rest}", async (HttpContext http, string mode, string rest) =>
{
    var upstream = mode == "sse" ? upstreams[1] : upstreams[0];
    var body = new byte[(int)(http.Request.ContentLength ?? 0)];
    await http.Request.Body.ReadExactlyAsync(body, http.RequestAborted);
    using var request = new HttpRequestMessage(HttpMethod.Post, $"{upstream}/{rest}")
    {
        Content = new ByteArrayContent(body),
    };
    request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
    if (http.Request.Headers.Authorization.Count > 0)
    {
        request.Headers.TryAddWithoutValidation("Authorization", http.Request.Headers.Authorization.ToString());
    }

    using var response = await client.SendAsync(request, http.RequestAborted);
    http.Response.StatusCode = (int)response.StatusCode;
    http.Response.ContentType = response.Content.Headers.ContentType?.ToString();
    if (response.Content.Headers.ContentLength is { } length)
    {
        http.Response.ContentLength = length;
    }
    else
    {
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    await using var answer = await response.Content.ReadAsStreamAsync(http.RequestAborted);
    var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
    try
    {
        int read;
        while ((read = await answer.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
    }
    finally
    {
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
    }
});

app.Run();
