namespace Gatehouse.Server.Admin;

/// <summary>A policy document: from a config file, or stored through the admin API.</summary>
public sealed class PolicyDocumentView
{
    /// <summary>The file path or stored name.</summary>
    public required string Name { get; init; }

    /// <summary><c>config</c> or <c>store</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>The YAML text.</summary>
    public required string Text { get; init; }
}
