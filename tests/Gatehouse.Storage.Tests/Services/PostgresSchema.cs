using Gatehouse.Storage.Postgres;
using Npgsql;

namespace Gatehouse.Storage.Tests.Services;

/// <summary>A schema of its own in the test database for one test, dropped afterwards.</summary>
public sealed class PostgresSchema : IAsyncDisposable
{
    public PostgresSchema()
    {
        Name = TestServices.UniqueName("t");
        Url = TestServices.PostgresUrl + (TestServices.PostgresUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + Name;
    }

    public string Name { get; }

    /// <summary>The storage URL that puts the tables into this schema.</summary>
    public string Url { get; }

    public PostgresDatabase Open() => new(Url);

    public async ValueTask DisposeAsync()
    {
        var builder = PostgresUrl.TryParse(TestServices.PostgresUrl, out _, out var error) ?? throw new InvalidOperationException(error);
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
