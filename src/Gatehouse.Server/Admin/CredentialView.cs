namespace Gatehouse.Server.Admin;

/// <summary>A vault credential as the admin API shows it: never its value.</summary>
public sealed class CredentialView
{
    /// <summary>Its name.</summary>
    public required string Name { get; init; }

    /// <summary>The provider it serves.</summary>
    public required string Provider { get; init; }

    /// <summary>The team that owns it, or null for everyone.</summary>
    public string? TeamId { get; init; }

    /// <summary>The id of the master key it is sealed under.</summary>
    public required string MasterKeyId { get; init; }

    /// <summary><c>ok</c>, or <c>unreadable</c> when this gateway cannot open it.</summary>
    public required string Status { get; init; }

    /// <summary>When it was stored.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
