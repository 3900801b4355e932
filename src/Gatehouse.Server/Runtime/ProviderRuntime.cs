using Gatehouse.Providers;

namespace Gatehouse.Server.Runtime;

/// <summary>A provider ready to serve: its adapter and the pooled HTTP connection handler it sends through.</summary>
public sealed class ProviderRuntime
{
    /// <summary>Creates the runtime.</summary>
    public ProviderRuntime(ProviderAdapter adapter, HttpMessageInvoker invoker)
    {
        Adapter = adapter;
        Invoker = invoker;
    }

    /// <summary>The provider's name.</summary>
    public string Name => Adapter.Options.Name;

    /// <summary>The wire adapter.</summary>
    public ProviderAdapter Adapter { get; }

    /// <summary>Sends upstream requests over pooled connections.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>The provider's options.</summary>
    public ProviderOptions Options => Adapter.Options;
}
