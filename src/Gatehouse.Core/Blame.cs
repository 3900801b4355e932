namespace Gatehouse.Core;

/// <summary>Who caused a failure: used for metrics, logs and retry decisions.</summary>
public enum Blame
{
    /// <summary>The caller sent something wrong.</summary>
    Client,

    /// <summary>The upstream provider failed.</summary>
    Upstream,

    /// <summary>The gateway itself failed.</summary>
    Gateway,
}
