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
          gatehouse version                                      print the version

        Environment: GATEHOUSE_LISTEN, GATEHOUSE_STORAGE_URL, and provider keys such as OPENAI_API_KEY,
        ANTHROPIC_API_KEY, GEMINI_API_KEY for the built-in default config.
        """;

    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length == 0 ? "serve" : args[0];
        var rest = args.Length == 0 ? [] : args[1..];
        try
        {
            return verb switch
            {
                "serve" => await ServeCommand.RunAsync(Arguments.Parse(rest)),
                "check" => CheckCommand.Run(Arguments.Parse(rest)),
                "logs" => await LogsCommand.RunAsync(Arguments.Parse(rest)),
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
