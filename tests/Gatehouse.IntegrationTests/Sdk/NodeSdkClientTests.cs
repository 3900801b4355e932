using System.Diagnostics;
using Gatehouse.IntegrationTests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gatehouse.IntegrationTests.Sdk;

/// <summary>Runs the official JavaScript SDKs (tests/clients, node's test runner) against a real gateway and fakes.</summary>
public sealed class NodeSdkClientTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private GatewayTestHost _host = null!;

    public NodeSdkClientTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Openai_and_anthropic_javascript_sdks_pass_against_the_gateway()
    {
        var clients = Path.Combine(RepositoryRoot(), "tests", "clients");
        Assert.True(Directory.Exists(Path.Combine(clients, "node_modules")), "Run `npm ci` in tests/clients first (.ci/run and scripts/test.sh do).");
        var start = new ProcessStartInfo("node", "--test --test-reporter=spec openai.test.mjs anthropic.test.mjs")
        {
            WorkingDirectory = clients,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["GATEHOUSE_URL"] = _host.BaseUrl.ToString().TrimEnd('/');
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await node.WaitForExitAsync(timeout.Token);
        _output.WriteLine(await stdout);
        _output.WriteLine(await stderr);
        Assert.True(node.ExitCode == 0, $"node --test failed:\n{await stdout}\n{await stderr}");
        Assert.Matches(@"(?m)^\S* ?pass [1-9]\d*$", await stdout);
        Assert.Matches(@"(?m)^\S* ?fail 0$", await stdout);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Gatehouse.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
