using Gatehouse.IntegrationTests.Harness;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Gatehouse.IntegrationTests.Cli;

/// <summary>gatehouse keys / teams / budgets / audit against the store of a running gateway.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class GovernanceCommandTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync();
        _config = Path.Combine(_host.Directory, "cli.yaml");
        await File.WriteAllTextAsync(_config, $"storage:\n  url: sqlite://{Path.Combine(_host.Directory, "gatehouse.db")}\nproviders:\n  - name: mock\n    kind: mock\n");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_key_created_on_the_command_line_works_at_once_and_a_revocation_reaches_the_gateway_within_a_second()
    {
        var (code, output, error) = await CommandLineTests.RunAsync("keys", "create", "--config", _config, "--name", "ci", "--rpm", "100");
        Assert.Equal(0, code);
        var key = output.Trim();
        Assert.StartsWith("gh_", key, StringComparison.Ordinal);
        Assert.Contains("shown only this once", error, StringComparison.Ordinal);

        // The gateway polls the store's change version: the new key (and the end of open mode) arrive within a second.
        await EventuallyAsync(async () => (await _host.ChatAsync(null)).Status == 401);
        Assert.Equal(200, (await _host.ChatAsync(key)).Status);

        var (_, list, _) = await CommandLineTests.RunAsync("keys", "list", "--config", _config);
        var id = key[3..15];
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);

        var started = TimeProvider.System.GetTimestamp();
        Assert.Equal(0, (await CommandLineTests.RunAsync("keys", "revoke", id, "--config", _config)).Code);
        await EventuallyAsync(async () => (await _host.ChatAsync(key)).Status == 401);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Audit_verify_finds_the_first_edited_or_deleted_record()
    {
        Assert.Equal(0, (await CommandLineTests.RunAsync("teams", "create", "research", "--config", _config)).Code);
        Assert.Equal(0, (await CommandLineTests.RunAsync("teams", "create", "sales", "--config", _config)).Code);
        Assert.Equal(0, (await CommandLineTests.RunAsync("budgets", "set", "--scope", "team:research", "--usd", "10", "--alert-at", "0.5,0.8", "--config", _config)).Code);
        var (ok, okOut, _) = await CommandLineTests.RunAsync("audit", "verify", "--config", _config);
        Assert.Equal(0, ok);
        Assert.Contains("Audit chain intact: 3 records", okOut, StringComparison.Ordinal);

        var (_, export, _) = await CommandLineTests.RunAsync("audit", "export", "--config", _config);
        var lines = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"action\":\"admin:budgets.write\"", lines[2], StringComparison.Ordinal);

        await ExecuteAsync("UPDATE audit_log SET target = 'team:marketing' WHERE seq = 2");
        var (broken, brokenOut, _) = await CommandLineTests.RunAsync("audit", "verify", "--config", _config);
        Assert.Equal(1, broken);
        Assert.Contains("BROKEN at record 2", brokenOut, StringComparison.Ordinal);
        Assert.Contains("edited", brokenOut, StringComparison.Ordinal);

        await ExecuteAsync("UPDATE audit_log SET target = 'team:sales' WHERE seq = 2");
        Assert.Equal(0, (await CommandLineTests.RunAsync("audit", "verify", "--config", _config)).Code);
        await ExecuteAsync("DELETE FROM audit_log WHERE seq = 3");
        var (deleted, deletedOut, _) = await CommandLineTests.RunAsync("audit", "verify", "--config", _config);
        Assert.Equal(1, deleted);
        Assert.Contains("BROKEN at record 3", deletedOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_operations_exit_1_with_the_reason()
    {
        var (code, _, error) = await CommandLineTests.RunAsync("keys", "create", "--team", "nope", "--config", _config);
        Assert.Equal(1, code);
        Assert.Contains("team 'nope' does not exist", error, StringComparison.Ordinal);
        var (usage, _, usageErr) = await CommandLineTests.RunAsync("keys", "rotate", "--config", _config);
        Assert.Equal(2, usage);
        Assert.Contains("usage: gatehouse keys create|list|revoke", usageErr, StringComparison.Ordinal);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_host.Directory, "gatehouse.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 40; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("condition not met within 2 s");
    }
}
