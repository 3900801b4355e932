using Gatehouse.Server.Config;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse check FILE</c>: validates a configuration and prints every problem with file:line.</summary>
public static class CheckCommand
{
    /// <summary>Runs the command; exit code 0 when valid, 1 when not.</summary>
    public static int Run(Arguments args)
    {
        args.Allow();
        if (args.Positional.Count != 1)
        {
            throw new ArgumentException("check needs exactly one FILE");
        }

        var path = args.Positional[0];
        try
        {
            var config = new ConfigLoader().LoadFile(path);
            using var handlers = new HandlerCache(TimeProvider.System);
            var snapshot = new SnapshotCompiler(handlers).Compile(config);
            Console.WriteLine($"{path}: OK — {snapshot.Providers.Count} provider(s), {config.Models.Count} virtual model(s), {snapshot.Catalog.Count} catalog models.");
            return 0;
        }
        catch (ConfigException ex)
        {
            foreach (var error in ex.Errors)
            {
                Console.Error.WriteLine(error.ToString());
            }

            Console.Error.WriteLine($"{path}: {ex.Errors.Count} problem(s).");
            return 1;
        }
    }
}
