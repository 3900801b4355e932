using System.Globalization;
using Gatehouse.Server.Admin;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse policy test|list|set|delete</c>: explain decisions and manage stored policy documents.</summary>
public static class PolicyCommand
{
    /// <summary>Runs the command; <c>policy test</c> exits 0 when allowed, 1 when denied.</summary>
    public static async Task<int> RunAsync(Arguments args)
    {
        args.Allow("config", "principal", "action", "resource", "source-ip", "tokens", "at");
        using var admin = await AdminContext.OpenAsync(args);
        var verb = args.Positional.Count > 0 ? args.Positional[0] : string.Empty;
        switch (verb)
        {
            case "test":
                var result = admin.Policies.Test(admin.Snapshot, admin.Evaluator, new PolicyTestRequest
                {
                    Principal = args.Get("principal"),
                    Action = args.Get("action"),
                    Resource = args.Get("resource"),
                    SourceIp = args.Get("source-ip"),
                    EstimatedTokens = args.Get("tokens") is { } t ? long.Parse(t, CultureInfo.InvariantCulture) : null,
                    Time = args.Get("at") is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
                });
                if (result.Error is { } error)
                {
                    throw new ArgumentException(error.Message);
                }

                Console.WriteLine(result.Value!.Explanation);
                return result.Value.Allowed ? 0 : 1;
            case "list":
                foreach (var document in admin.Policies.List(admin.Snapshot))
                {
                    Console.WriteLine($"{document.Origin,-7} {document.Name}");
                }

                return 0;
            case "set" when args.Positional.Count == 3:
                var set = await admin.Policies.SetAsync(AdminCaller.Cli, admin.Snapshot, args.Positional[1], await File.ReadAllTextAsync(args.Positional[2]), CancellationToken.None);
                if (set.Error is { } setError)
                {
                    Console.Error.WriteLine($"error: {setError.Message}");
                    return 1;
                }

                Console.WriteLine($"Stored policy document {set.Value!.Name}.");
                return 0;
            case "delete" when args.Positional.Count == 2:
                var deleted = await admin.Policies.DeleteAsync(AdminCaller.Cli, args.Positional[1], CancellationToken.None);
                if (deleted.Error is { } deleteError)
                {
                    Console.Error.WriteLine($"error: {deleteError.Message}");
                    return 1;
                }

                Console.WriteLine($"Deleted policy document {deleted.Value!.Name}.");
                return 0;
            default:
                throw new ArgumentException("usage: gatehouse policy test --principal Type::id --action A --resource Type::id [--source-ip IP] [--tokens N] [--at TIME] | list | set NAME FILE | delete NAME");
        }
    }
}
