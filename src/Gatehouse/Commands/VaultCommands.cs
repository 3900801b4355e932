using System.Text.Json;
using Gatehouse.Governance.Vault;
using Gatehouse.Server.Admin;

namespace Gatehouse.Host.Commands;

/// <summary>
/// <c>gatehouse vault new-key|rotate</c> and <c>gatehouse credentials set|list|delete</c>: provider keys sealed in the
/// store under the master key from GATEHOUSE_MASTER_KEY. A secret is read from standard input, never from the
/// command line (which other users of the machine can see).
/// </summary>
public static class VaultCommands
{
    /// <summary>Runs <c>gatehouse vault …</c>.</summary>
    public static async Task<int> VaultAsync(Arguments args)
    {
        args.Allow("config");
        var verb = args.Positional.Count > 0 ? args.Positional[0] : string.Empty;
        if (verb == "new-key")
        {
            Console.WriteLine(MasterKeyRing.NewKeyBase64());
            Console.Error.WriteLine("A new master key. Keep it in a secret store; set it as GATEHOUSE_MASTER_KEY (and the old one in GATEHOUSE_MASTER_KEY_PREVIOUS, then run `gatehouse vault rotate`).");
            return 0;
        }

        if (verb != "rotate")
        {
            throw new ArgumentException("usage: gatehouse vault new-key | rotate");
        }

        using var admin = await AdminContext.OpenAsync(args);
        var result = await admin.Credentials.RotateAsync(AdminCaller.Cli, CancellationToken.None);
        if (result.Error is { } error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return 1;
        }

        Console.WriteLine($"Re-sealed {result.Value!.Rotated} credential(s) under master key {result.Value.MasterKeyId}.");
        return 0;
    }

    /// <summary>Runs <c>gatehouse credentials …</c>.</summary>
    public static async Task<int> CredentialsAsync(Arguments args)
    {
        args.Allow("config", "provider", "team");
        using var admin = await AdminContext.OpenAsync(args);
        var verb = args.Positional.Count > 0 ? args.Positional[0] : string.Empty;
        switch (verb)
        {
            case "set" when args.Positional.Count == 2:
                var value = (await Console.In.ReadToEndAsync()).Trim();
                var set = await admin.Credentials.SetAsync(AdminCaller.Cli, admin.Snapshot, args.Positional[1], new CredentialRequest { Provider = args.Get("provider"), TeamId = args.Get("team"), Value = value }, CancellationToken.None);
                if (set.Error is { } error)
                {
                    Console.Error.WriteLine($"error: {error.Message}");
                    return 1;
                }

                Console.WriteLine($"Sealed credential {set.Value!.Name} for provider {set.Value.Provider}{(set.Value.TeamId is null ? string.Empty : $" (team {set.Value.TeamId})")}.");
                return 0;
            case "list":
                Console.WriteLine(JsonSerializer.Serialize(admin.Credentials.List(AdminCaller.Cli), AdminJsonContext.Default.IReadOnlyListCredentialView));
                return 0;
            case "delete" when args.Positional.Count == 2:
                var deleted = await admin.Credentials.DeleteAsync(AdminCaller.Cli, args.Positional[1], CancellationToken.None);
                if (deleted.Error is { } deleteError)
                {
                    Console.Error.WriteLine($"error: {deleteError.Message}");
                    return 1;
                }

                Console.WriteLine($"Deleted credential {deleted.Value!.Name}.");
                return 0;
            default:
                throw new ArgumentException("usage: gatehouse credentials set NAME --provider P [--team T] < secret | list | delete NAME");
        }
    }
}
