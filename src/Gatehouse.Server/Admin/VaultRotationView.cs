namespace Gatehouse.Server.Admin;

/// <summary>The answer of a vault rotation.</summary>
public sealed class VaultRotationView
{
    /// <summary>Credentials re-sealed.</summary>
    public int Rotated { get; init; }

    /// <summary>The master key everything is now sealed under.</summary>
    public required string MasterKeyId { get; init; }
}
