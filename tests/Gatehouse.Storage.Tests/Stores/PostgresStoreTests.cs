using Gatehouse.Storage.Audit;
using Gatehouse.Storage.Governance;
using Gatehouse.Storage.Postgres;
using Gatehouse.Storage.RequestLogs;
using Gatehouse.Storage.Sql;
using Gatehouse.Storage.Tests.Services;
using Npgsql;
using Xunit;

namespace Gatehouse.Storage.Tests.Stores;

/// <summary>The store contract on the machine's PostgreSQL (a schema of its own per test), plus LISTEN/NOTIFY.</summary>
public sealed class PostgresStoreTests : StoreContract
{
    private readonly PostgresSchema _schema = new();
    private readonly List<PostgresDatabase> _opened = [];

    protected override SqlDatabase OpenDatabase()
    {
        var database = _schema.Open();
        _opened.Add(database);
        return database;
    }

    protected override IGovernanceStore GovernanceStore(SqlDatabase database) => new PostgresGovernanceStore((PostgresDatabase)database);

    protected override IAuditStore AuditStore(SqlDatabase database) => new PostgresAuditStore((PostgresDatabase)database);

    protected override IRequestLogStore RequestLogStore(SqlDatabase database) => new PostgresRequestLogStore((PostgresDatabase)database);

    public override async Task DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await _schema.DisposeAsync();
    }

    [Fact]
    public async Task Every_change_is_announced_on_the_change_channel_after_commit()
    {
        var database = (PostgresDatabase)OpenDatabase();
        var store = new PostgresGovernanceStore(database);
        await store.InitializeAsync(default);
        await using var listener = await database.OpenListenerAsync(default);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Notification += (_, e) => received.TrySetResult(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDatabase.ChangeChannel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await store.RevokeKeyAsync("absent", DateTimeOffset.UnixEpoch, default);
        await store.SetLimitAsync(new LimitRecord { Scope = "team:t", RequestsPerMinute = 1 }, default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!received.Task.IsCompleted)
        {
            await listener.WaitAsync(timeout.Token);
        }

        Assert.Equal((await store.ChangeVersionAsync(default)).ToString(System.Globalization.CultureInfo.InvariantCulture), await received.Task);
    }

    [Fact]
    public async Task An_unreachable_database_fails_loudly()
    {
        await using var database = new PostgresDatabase("postgres://gatehouse:gatehouse@127.0.0.1:1/gatehouse_test");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => new PostgresGovernanceStore(database).InitializeAsync(default));
    }
}
