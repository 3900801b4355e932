using Gatehouse.Server.Config;

namespace Gatehouse.Server.Hosting;

/// <summary>How to start a gateway: which config, which clock, where to listen.</summary>
public sealed class GatewayHostOptions
{
    /// <summary>A YAML file to load (and watch for changes); null uses <see cref="Config"/> or the built-in default.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>An already-built configuration (tests), used when <see cref="ConfigPath"/> is null.</summary>
    public GatewayConfig? Config { get; init; }

    /// <summary>Overrides <c>server.listen</c>; use port 0 for any free port.</summary>
    public string? Listen { get; init; }

    /// <summary>The clock; the system clock unless a test provides a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Whether to reload the config file on change and on SIGHUP.</summary>
    public bool WatchConfig { get; init; } = true;

    /// <summary>
    /// Master keys of the credential vault (base64: the current key, then comma-separated previous ones); when null
    /// they come from GATEHOUSE_MASTER_KEY and GATEHOUSE_MASTER_KEY_PREVIOUS.
    /// </summary>
    public (string Current, string? Previous)? MasterKeys { get; init; }
}
