namespace Gatehouse.Storage.Governance;

/// <summary>A provider API key in the vault: sealed with AES-256-GCM, never stored or shown in plain text.</summary>
public sealed record CredentialRecord
{
    /// <summary>The credential's name (its id; also the associated data of the seal).</summary>
    public required string Name { get; init; }

    /// <summary>The configured provider (its <c>name</c> in config) whose requests use this key.</summary>
    public required string Provider { get; init; }

    /// <summary>The team that brings its own key; null for the provider's key for everyone.</summary>
    public string? TeamId { get; init; }

    /// <summary>The sealed value (<c>v1.KEYID.…</c>).</summary>
    public required string Sealed { get; init; }

    /// <summary>When it was stored or last replaced.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
