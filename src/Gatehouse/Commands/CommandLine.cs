using Gatehouse.Storage.Governance;

namespace Gatehouse.Host.Commands;

/// <summary>The <c>gatehouse</c> command line: dispatches a verb to its command.</summary>
public static class CommandLine
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        gatehouse — an AI gateway for OpenAI- and Anthropic-compatible clients.

        Usage:
          gatehouse serve [--config FILE] [--listen HOST:PORT]   start the gateway (built-in default config without --config)
          gatehouse check FILE                                   validate a config file; prints file:line: problems
          gatehouse logs [--config FILE] [--since 1h] [--model M] [--status N] [--errors] [--limit N] [--json]
                                                                 read the request log
          gatehouse keys create [--name N] [--user U] [--agent A] [--team T] [--org O] [--role admin|team-admin|auditor]
                                [--models M1,M2] [--cidrs C1,C2] [--expires-in 30d] [--rpm N] [--tpm N] [--max-concurrent N]
                                [--budget-usd X] [--budget-tokens N] [--budget-period monthly] [--json]
                                                                 create a key; prints it once
          gatehouse keys list [--json] | keys revoke ID           list or revoke keys
          gatehouse orgs|teams|users|agents create ID [--name N] [--org O] [--team T] [--parent-user U] [--tags a,b]
          gatehouse orgs|teams|users|agents list [--json] | delete ID
          gatehouse limits set --scope S [--rpm N] [--tpm N] [--max-concurrent N] | limits list
          gatehouse budgets set --scope S [--usd X] [--tokens N] [--period P] [--alert-at 0.5,0.8] [--id ID]
          gatehouse budgets list | budgets delete ID
          gatehouse audit verify | audit export [--from N]      check the hash chain / write it as JSONL
          gatehouse policy test --principal Key::ID --action invoke_model --resource Model::openai/gpt-4o [--source-ip IP]
                                                                 explain a policy decision (exit 0 allow, 1 deny)
          gatehouse policy list | set NAME FILE | delete NAME     stored policy documents
          gatehouse vault new-key | vault rotate                 make a master key / re-seal credentials under the current one
          gatehouse credentials set NAME --provider P [--team T] < secret | list | delete NAME
                                                                 provider keys sealed in the store (GATEHOUSE_MASTER_KEY)
          gatehouse guardrails test --config FILE [--stage input|output|tool_results] "text"
                                                                 each guardrail's verdict on a text (exit 1 if one refuses)
          gatehouse eval guardrails [--dataset FILE[,FILE]] [--kind injection|pii|secrets] [--negatives MANIFEST[,MANIFEST]]
                                    [--min-confidence 0.5] [--errors N] [--shipped]
                                                                 detector accuracy on a labelled JSONL dataset: injection by
                                                                 cross-validation (default eval/injection-tune.jsonl and
                                                                 eval/injection-long-train.jsonl) or, with --shipped, by the
                                                                 shipped model on data it never saw (eval/benign-long.jsonl); PII
                                                                 and secrets per type/rule/category; --negatives scans a file corpus
          gatehouse route explain --config FILE [--router NAME] [--header k=v ...] [--team T] [--user U] [--tags a,b]
                                  [--tools] [--images] [--at HH:MM] "text"
                                                                 a router's decision on a request: each rule, each semantic route's score
          gatehouse route eval --config FILE --data FILE [--router NAME] [--embedder E] [--threshold X] [--split tune|test|all] [--sweep]
                                                                 route accuracy, precision/recall and latency on a labelled JSONL set
          gatehouse version                                      print the version

        Every admin command takes --config FILE to name the store (default: the built-in config's sqlite://gatehouse.db).

        Environment: GATEHOUSE_LISTEN, GATEHOUSE_STORAGE_URL, and provider keys such as OPENAI_API_KEY,
        ANTHROPIC_API_KEY, GEMINI_API_KEY for the built-in default config.
        """;

    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // Local embedders are loaded only when a router names them.
        Gatehouse.Embeddings.MiniLM.MiniLmEmbedder.Register();
        var verb = args.Length == 0 ? "serve" : args[0];
        var rest = args.Length == 0 ? [] : args[1..];
        try
        {
            return verb switch
            {
                "serve" => await ServeCommand.RunAsync(Arguments.Parse(rest)),
                "check" => CheckCommand.Run(Arguments.Parse(rest)),
                "logs" => await LogsCommand.RunAsync(Arguments.Parse(rest)),
                "keys" => await GovernanceCommands.KeysAsync(Arguments.Parse(rest)),
                "orgs" => await GovernanceCommands.EntitiesAsync(EntityKind.Org, Arguments.Parse(rest)),
                "teams" => await GovernanceCommands.EntitiesAsync(EntityKind.Team, Arguments.Parse(rest)),
                "users" => await GovernanceCommands.EntitiesAsync(EntityKind.User, Arguments.Parse(rest)),
                "agents" => await GovernanceCommands.EntitiesAsync(EntityKind.Agent, Arguments.Parse(rest)),
                "limits" => await GovernanceCommands.SpendAsync("limits", Arguments.Parse(rest)),
                "budgets" => await GovernanceCommands.SpendAsync("budgets", Arguments.Parse(rest)),
                "audit" => await GovernanceCommands.AuditAsync(Arguments.Parse(rest)),
                "policy" => await PolicyCommand.RunAsync(Arguments.Parse(rest)),
                "vault" => await VaultCommands.VaultAsync(Arguments.Parse(rest)),
                "credentials" => await VaultCommands.CredentialsAsync(Arguments.Parse(rest)),
                "guardrails" => await GuardrailsCommand.TestAsync(Arguments.Parse(rest)),
                "eval" => GuardrailEvalCommand.Run(Arguments.Parse(rest)),
                "route" => await RouteCommand.RunAsync(Arguments.Parse(rest)),
                "version" or "--version" => PrintVersion(),
                "help" or "--help" or "-h" => PrintUsage(Console.Out, 0),
                _ => PrintUsage(Console.Error, 2, $"unknown command '{verb}'"),
            };
        }
        catch (ArgumentException ex)
        {
            return PrintUsage(Console.Error, 2, ex.Message);
        }
    }

    private static int PrintVersion()
    {
        Console.WriteLine(typeof(CommandLine).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        return 0;
    }

    private static int PrintUsage(TextWriter writer, int code, string? problem = null)
    {
        if (problem is not null)
        {
            writer.WriteLine($"error: {problem}");
            writer.WriteLine();
        }

        writer.WriteLine(Usage);
        return code;
    }
}
