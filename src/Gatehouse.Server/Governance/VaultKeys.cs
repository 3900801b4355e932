using Gatehouse.Governance.Vault;
using Gatehouse.Server.Config;

namespace Gatehouse.Server.Governance;

/// <summary>Where the vault's master keys come from: explicit options, or GATEHOUSE_MASTER_KEY[_PREVIOUS].</summary>
public static class VaultKeys
{
    /// <summary>The environment variable holding the current master key (base64 of 32 random bytes).</summary>
    public const string CurrentVariable = "GATEHOUSE_MASTER_KEY";

    /// <summary>The environment variable holding previous master keys still needed to open older values.</summary>
    public const string PreviousVariable = "GATEHOUSE_MASTER_KEY_PREVIOUS";

    /// <summary>The vault, or null when no master key is configured (then credentials cannot be stored).</summary>
    public static SecretVault? Create((string Current, string? Previous)? keys)
    {
        var (current, previous) = keys ?? (Environment.GetEnvironmentVariable(CurrentVariable) ?? string.Empty, Environment.GetEnvironmentVariable(PreviousVariable));
        if (string.IsNullOrWhiteSpace(current))
        {
            return null;
        }

        try
        {
            return new SecretVault(MasterKeyRing.FromBase64(current, previous));
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException([new ConfigError(CurrentVariable, 0, 0, ex.Message)]);
        }
    }
}
