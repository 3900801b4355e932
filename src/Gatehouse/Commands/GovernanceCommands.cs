using System.Globalization;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Server.Admin;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Host.Commands;

/// <summary>
/// <c>gatehouse keys|orgs|teams|users|agents|limits|budgets|audit</c>: the admin operations from the command line, on
/// the store the configuration names. Exit code 0 on success, 1 when the operation was refused, 2 on usage errors.
/// </summary>
public static class GovernanceCommands
{
    /// <summary>Runs <c>gatehouse keys create|list|revoke</c>.</summary>
    public static async Task<int> KeysAsync(Arguments args)
    {
        args.Allow("config", "name", "user", "agent", "team", "org", "role", "tags", "models", "cidrs", "expires-in", "rpm", "tpm", "max-concurrent", "budget-usd", "budget-tokens", "budget-period", "json");
        using var admin = await AdminContext.OpenAsync(args);
        switch (Verb(args))
        {
            case "create":
                var created = await admin.Keys.CreateAsync(AdminCaller.Cli, new KeyCreateRequest
                {
                    Name = args.Get("name"),
                    UserId = args.Get("user"),
                    AgentId = args.Get("agent"),
                    TeamId = args.Get("team"),
                    OrgId = args.Get("org"),
                    Roles = List(args.Get("role")),
                    Tags = List(args.Get("tags")),
                    AllowedModels = List(args.Get("models")),
                    AllowedCidrs = List(args.Get("cidrs")),
                    ExpiresIn = args.Get("expires-in"),
                    Rpm = Number(args.Get("rpm"), "rpm"),
                    Tpm = Number(args.Get("tpm"), "tpm"),
                    MaxConcurrent = Number(args.Get("max-concurrent"), "max-concurrent"),
                    BudgetUsd = args.Get("budget-usd") is { } usd ? decimal.Parse(usd, CultureInfo.InvariantCulture) : null,
                    BudgetTokens = Number(args.Get("budget-tokens"), "budget-tokens"),
                    BudgetPeriod = args.Get("budget-period"),
                }, CancellationToken.None);
                if (created.Error is { } error)
                {
                    return Refused(error);
                }

                if (args.Has("json"))
                {
                    Console.WriteLine(JsonSerializer.Serialize(created.Value!, AdminJsonContext.Default.KeyView));
                    return 0;
                }

                Console.WriteLine(created.Value!.Key);
                Console.Error.WriteLine($"Created key {created.Value.Id}. Store it now: it is shown only this once.");
                return 0;
            case "list":
                var keys = admin.Keys.List(AdminCaller.Cli);
                if (args.Has("json"))
                {
                    Console.WriteLine(JsonSerializer.Serialize(keys, AdminJsonContext.Default.IReadOnlyListKeyView));
                    return 0;
                }

                Console.WriteLine($"{"ID",-14} {"STATUS",-8} {"NAME",-20} {"TEAM",-16} {"USER/AGENT",-20} ROLES");
                foreach (var key in keys)
                {
                    Console.WriteLine($"{key.Id,-14} {key.Status,-8} {key.Name ?? "-",-20} {key.TeamId ?? "-",-16} {key.AgentId ?? key.UserId ?? "-",-20} {string.Join(',', key.Roles)}");
                }

                return 0;
            case "revoke":
                var revoked = await admin.Keys.RevokeAsync(AdminCaller.Cli, Target(args), CancellationToken.None);
                if (revoked.Error is { } revokeError)
                {
                    return Refused(revokeError);
                }

                Console.WriteLine($"Revoked key {revoked.Value!.Id}.");
                return 0;
            default:
                throw new ArgumentException("usage: gatehouse keys create|list|revoke");
        }
    }

    /// <summary>Runs <c>gatehouse orgs|teams|users|agents create|list|delete</c>.</summary>
    public static async Task<int> EntitiesAsync(EntityKind kind, Arguments args)
    {
        args.Allow("config", "name", "org", "team", "parent-user", "tags", "json");
        using var admin = await AdminContext.OpenAsync(args);
        switch (Verb(args))
        {
            case "create":
                var created = await admin.Directory.CreateAsync(AdminCaller.Cli, kind, new EntityRequest
                {
                    Id = Target(args),
                    Name = args.Get("name"),
                    OrgId = args.Get("org"),
                    TeamId = args.Get("team"),
                    ParentUserId = args.Get("parent-user"),
                    Tags = List(args.Get("tags")),
                }, CancellationToken.None);
                if (created.Error is { } error)
                {
                    return Refused(error);
                }

                Console.WriteLine($"Created {DirectoryAdministration.Name(kind)} {created.Value!.Id}.");
                return 0;
            case "list":
                var list = admin.Directory.List(AdminCaller.Cli, kind);
                if (args.Has("json"))
                {
                    Console.WriteLine(JsonSerializer.Serialize(list, AdminJsonContext.Default.IReadOnlyListDirectoryEntity));
                    return 0;
                }

                foreach (var entity in list)
                {
                    Console.WriteLine($"{entity.Id,-24} {entity.Name ?? "-",-24} org={entity.OrgId ?? "-"} team={entity.TeamId ?? "-"}{(entity.ParentUserId is null ? string.Empty : $" parent={entity.ParentUserId}")}");
                }

                return 0;
            case "delete":
                var deleted = await admin.Directory.DeleteAsync(AdminCaller.Cli, kind, Target(args), CancellationToken.None);
                return deleted.Error is { } deleteError ? Refused(deleteError) : Done($"Deleted {DirectoryAdministration.Name(kind)} {deleted.Value!.Id}.");
            default:
                throw new ArgumentException($"usage: gatehouse {DirectoryAdministration.Name(kind)}s create ID|list|delete ID");
        }
    }

    /// <summary>Runs <c>gatehouse limits set|list</c> and <c>gatehouse budgets set|list|delete</c>.</summary>
    public static async Task<int> SpendAsync(string noun, Arguments args)
    {
        args.Allow("config", "scope", "rpm", "tpm", "max-concurrent", "id", "period", "usd", "tokens", "alert-at", "json");
        using var admin = await AdminContext.OpenAsync(args);
        switch ((noun, Verb(args)))
        {
            case ("limits", "set"):
                var limit = await admin.Spend.SetLimitAsync(AdminCaller.Cli, new LimitRequest
                {
                    Scope = args.Get("scope"),
                    Rpm = Number(args.Get("rpm"), "rpm"),
                    Tpm = Number(args.Get("tpm"), "tpm"),
                    MaxConcurrent = Number(args.Get("max-concurrent"), "max-concurrent"),
                }, CancellationToken.None);
                return limit.Error is { } limitError ? Refused(limitError) : Done($"Limits of {limit.Value!.Scope} set.");
            case ("limits", "list"):
                Console.WriteLine(JsonSerializer.Serialize(admin.Spend.ListLimits(AdminCaller.Cli), AdminJsonContext.Default.IReadOnlyListLimitRecord));
                return 0;
            case ("budgets", "set"):
                var budget = await admin.Spend.SetBudgetAsync(AdminCaller.Cli, new BudgetRequest
                {
                    Id = args.Get("id"),
                    Scope = args.Get("scope"),
                    Period = args.Get("period"),
                    MaxUsd = args.Get("usd") is { } usd ? decimal.Parse(usd, CultureInfo.InvariantCulture) : null,
                    MaxTokens = Number(args.Get("tokens"), "tokens"),
                    SoftThresholds = [.. List(args.Get("alert-at")).Select(t => double.Parse(t, CultureInfo.InvariantCulture))],
                }, CancellationToken.None);
                return budget.Error is { } budgetError ? Refused(budgetError) : Done($"Budget {budget.Value!.Id} set.");
            case ("budgets", "list"):
                Console.WriteLine(JsonSerializer.Serialize(await admin.Spend.ListBudgetsAsync(AdminCaller.Cli, CancellationToken.None), AdminJsonContext.Default.IReadOnlyListBudgetView));
                return 0;
            case ("budgets", "delete"):
                var deleted = await admin.Spend.DeleteBudgetAsync(AdminCaller.Cli, Target(args), CancellationToken.None);
                return deleted.Error is { } deleteError ? Refused(deleteError) : Done($"Deleted budget {deleted.Value!.Id}.");
            default:
                throw new ArgumentException(noun == "limits" ? "usage: gatehouse limits set --scope S [--rpm N] [--tpm N] [--max-concurrent N] | list" : "usage: gatehouse budgets set --scope S [--usd X] [--tokens N] [--period P] [--alert-at 0.5,0.8] | list | delete ID");
        }
    }

    /// <summary>Runs <c>gatehouse audit verify|export</c>.</summary>
    public static async Task<int> AuditAsync(Arguments args)
    {
        args.Allow("config", "from");
        using var admin = await AdminContext.OpenAsync(args);
        switch (Verb(args))
        {
            case "verify":
                var result = await admin.Audit.VerifyAsync(CancellationToken.None);
                if (result.Intact)
                {
                    Console.WriteLine($"Audit chain intact: {result.Checked} records, head {result.HeadHash ?? "-"}.");
                    return 0;
                }

                Console.WriteLine($"Audit chain BROKEN at record {result.BrokenAt}: {result.Problem}.");
                return 1;
            case "export":
                var from = Number(args.Get("from"), "from") ?? 1;
                while (true)
                {
                    var page = await admin.Audit.ReadAsync(from, 1_000, CancellationToken.None);
                    foreach (var record in page)
                    {
                        Console.WriteLine(JsonSerializer.Serialize(record, AdminJsonContext.Default.AuditRecordView));
                    }

                    if (page.Count < 1_000)
                    {
                        return 0;
                    }

                    from = page[^1].Seq + 1;
                }

            default:
                throw new ArgumentException("usage: gatehouse audit verify|export [--from N]");
        }
    }

    private static string Verb(Arguments args) => args.Positional.Count > 0 ? args.Positional[0] : string.Empty;

    private static string Target(Arguments args) => args.Positional.Count > 1 ? args.Positional[1] : throw new ArgumentException($"'{Verb(args)}' needs an id");

    private static List<string> List(string? text) => text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static long? Number(string? text, string name) => text is null ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"--{name} must be a whole number");

    private static int Refused(GatewayError error)
    {
        Console.Error.WriteLine($"error: {error.Message}");
        return 1;
    }

    private static int Done(string message)
    {
        Console.WriteLine(message);
        return 0;
    }
}
