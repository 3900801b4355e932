using Gatehouse.Host.Commands;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Cli;

/// <summary>The gatehouse command line: check, logs, usage errors. Console output is global, so these run alone.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CommandLineTests
{
    [Fact]
    public async Task Check_accepts_a_valid_file_and_lists_every_problem_of_a_bad_one()
    {
        var good = Path.Combine(Path.GetTempPath(), $"good-{Guid.NewGuid():n}.yaml");
        var bad = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(good, "providers:\n  - name: mock\n    kind: mock\nmodels:\n  - name: m\n    targets:\n      - { provider: mock, model: gatehouse-mock-1 }\n");
        await File.WriteAllTextAsync(bad, "providers:\n  - name: mock\n    kind: mokc\n    timeout: soon\n");
        try
        {
            var (okCode, okOut, _) = await RunAsync("check", good);
            Assert.Equal(0, okCode);
            Assert.Contains(": OK — 1 provider(s), 1 virtual model(s)", okOut, StringComparison.Ordinal);

            var (badCode, _, badErr) = await RunAsync("check", bad);
            Assert.Equal(1, badCode);
            Assert.Contains($"{bad}:4:14: 'providers[0].timeout' must be a positive duration such as 500ms, 30s or 5m; got \"soon\".", badErr, StringComparison.Ordinal);
            Assert.Contains("unknown kind 'mokc'; did you mean 'mock'?", badErr, StringComparison.Ordinal);
            Assert.Contains(": 2 problem(s).", badErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(good);
            File.Delete(bad);
        }
    }

    [Fact]
    public async Task Logs_prints_the_request_log_of_the_configured_store()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var (response, _) = await host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"x"}]}""");
        await host.LogsStoredAsync(1);
        var config = Path.Combine(host.Directory, "cli.yaml");
        await File.WriteAllTextAsync(config, $"storage:\n  url: sqlite://{Path.Combine(host.Directory, "gatehouse.db")}\nproviders:\n  - name: mock\n    kind: mock\n");

        var (code, table, _) = await RunAsync("logs", "--config", config, "--since", "1h");
        Assert.Equal(0, code);
        Assert.Contains(response.Header("x-request-id"), table, StringComparison.Ordinal);
        Assert.Contains("openai/gpt-4o-mini", table, StringComparison.Ordinal);

        var (_, json, _) = await RunAsync("logs", "--config", config, "--json", "--model", "openai/gpt-4o-mini");
        var line = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single();
        var record = System.Text.Json.JsonDocument.Parse(line).RootElement;
        Assert.Equal(200, record.GetProperty("status").GetInt32());
        Assert.Equal(0.000005625m, record.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Unknown_commands_and_options_print_usage_with_exit_code_2()
    {
        var (code, _, err) = await RunAsync("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("error: unknown command 'frobnicate'", err, StringComparison.Ordinal);
        Assert.Contains("gatehouse serve", err, StringComparison.Ordinal);

        var (optionCode, _, optionErr) = await RunAsync("check", "--fast", "x.yaml");
        Assert.Equal(2, optionCode);
        Assert.Contains("unknown option --fast", optionErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_an_address_in_use_says_so_and_exits_with_code_1()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var directory = Directory.CreateTempSubdirectory("gatehouse-serve-").FullName;
        var config = Path.Combine(directory, "serve.yaml");
        await File.WriteAllTextAsync(config, $"storage:\n  url: sqlite://{Path.Combine(directory, "gatehouse.db")}\nproviders:\n  - name: mock\n    kind: mock\n");
        try
        {
            var (code, _, err) = await RunAsync("serve", "--config", config, "--listen", $"127.0.0.1:{port}").WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, code);
            Assert.Contains($"gatehouse: cannot listen: Failed to bind to address http://127.0.0.1:{port}: address already in use.", err, StringComparison.Ordinal);
            Assert.Contains("--listen HOST:PORT", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_on_an_address_this_machine_does_not_have_says_so_and_exits_with_code_1()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-serve-").FullName;
        var config = Path.Combine(directory, "serve.yaml");
        await File.WriteAllTextAsync(config, $"storage:\n  url: sqlite://{Path.Combine(directory, "gatehouse.db")}\nproviders:\n  - name: mock\n    kind: mock\n");
        try
        {
            // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
            var (code, _, err) = await RunAsync("serve", "--config", config, "--listen", "192.0.2.1:18999").WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, code);
            Assert.Contains("gatehouse: cannot listen on the configured address: Cannot assign requested address.", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    internal static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var originalOut = Console.Out;
        var originalErr = Console.Error;
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await CommandLine.RunAsync(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalErr);
        }
    }
}

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
