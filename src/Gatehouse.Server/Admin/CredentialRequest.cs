namespace Gatehouse.Server.Admin;

/// <summary>The body of <c>PUT /admin/api/credentials/{name}</c>: a provider key to seal in the vault.</summary>
public sealed class CredentialRequest
{
    /// <summary>The configured provider whose calls use the key.</summary>
    public string? Provider { get; set; }

    /// <summary>The team that brings its own key; absent for the provider's key for everyone.</summary>
    public string? TeamId { get; set; }

    /// <summary>The secret; sealed at once and never shown again.</summary>
    public string? Value { get; set; }
}
