using Gatehouse.Storage.Postgres;
using Xunit;

namespace Gatehouse.Storage.Tests.Stores;

public sealed class PostgresUrlTests
{
    [Fact]
    public void A_full_url_becomes_a_connection_string()
    {
        var builder = PostgresUrl.TryParse("postgresql://app%40x:p%3Ass@db.internal:6432/gate?schema=tenant_1&sslmode=require&pool_size=20", out var schema, out var error);
        Assert.Null(error);
        Assert.Equal(("db.internal", 6432, "gate", "app@x", "p:ss"), (builder!.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal("tenant_1", schema);
        Assert.Equal(Npgsql.SslMode.Require, builder.SslMode);
        Assert.Equal(20, builder.MaxPoolSize);
        Assert.Equal(5432, PostgresUrl.TryParse("postgres://u@h/d", out _, out _)!.Port);
    }

    [Theory]
    [InlineData("postgres://u:secret@h", "no database")]
    [InlineData("postgres://u:secret@h/d?schema=Bad-Name", "schema")]
    [InlineData("postgres://u:secret@h/d?sslmode=sometimes", "sslmode")]
    [InlineData("postgres://u:secret@h/d?timeout=5", "unknown parameter \"timeout\"")]
    [InlineData("mysql://u:secret@h/d", "expected postgres://")]
    public void Malformed_urls_are_refused_without_repeating_the_password(string url, string expected)
    {
        Assert.Null(PostgresUrl.TryParse(url, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Redaction_hides_the_password() =>
        Assert.Equal("postgres://u:***@h:5432/d", PostgresUrl.Redact("postgres://u:secret@h:5432/d"));
}
