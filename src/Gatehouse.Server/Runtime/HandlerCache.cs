using System.Collections.Concurrent;
using System.Net;
using Gatehouse.Providers;
using Gatehouse.Providers.Mock;

namespace Gatehouse.Server.Runtime;

/// <summary>
/// Keeps one pooled connection handler per provider endpoint across config reloads, so a reload neither drops
/// warm connections nor disposes a handler that in-flight requests of the previous snapshot still use.
/// </summary>
public sealed class HandlerCache : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _invokers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the cache.</summary>
    public HandlerCache(TimeProvider time) => _time = time;

    /// <summary>The clock handlers and the detectors compiled with them use.</summary>
    public TimeProvider Time => _time;

    /// <summary>The pooled connections that webhook guardrails call through.</summary>
    public HttpMessageInvoker Webhooks => _invokers.GetOrAdd("webhooks", _ => Create(new ProviderOptions { Name = "webhooks", Kind = "webhook", ConnectTimeout = TimeSpan.FromSeconds(5) }));

    /// <summary>Returns the invoker for a provider, creating it on first use.</summary>
    public HttpMessageInvoker Get(ProviderOptions options)
    {
        var key = $"{options.Kind}|{options.BaseUrl}|{options.ConnectTimeout.Ticks}";
        return _invokers.GetOrAdd(key, _ => Create(options));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }

        _invokers.Clear();
    }

    private HttpMessageInvoker Create(ProviderOptions options)
    {
        if (options.Kind == "mock")
        {
            return new HttpMessageInvoker(new MockUpstreamHandler(_time), disposeHandler: true);
        }

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 1024,
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }
}
