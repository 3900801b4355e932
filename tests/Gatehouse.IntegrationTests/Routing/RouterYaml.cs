using Gatehouse.Server.Config;

namespace Gatehouse.IntegrationTests.Routing;

/// <summary>Routers written as YAML (checked by the real loader) and added to a test host's configuration.</summary>
public static class RouterYaml
{
    /// <summary>Loads <paramref name="yaml"/> (which must declare the providers it names) and adds its models and routers to <paramref name="config"/>.</summary>
    public static void AddTo(GatewayConfig config, string yaml)
    {
        var loaded = new ConfigLoader(new EnvInterpolator(_ => null)).Load(yaml, "routers.yaml");
        config.Models.AddRange(loaded.Models);
        config.Routers.AddRange(loaded.Routers);
    }

    /// <summary>The repository root (where Gatehouse.slnx is).</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Gatehouse.slnx")))
        {
            root = root.Parent!;
        }

        return root.FullName;
    }
}
