namespace Gatehouse.Storage.Tests.Services;

/// <summary>
/// Where the real PostgreSQL and Redis of the machine are (scripts/services.sh starts them and exports these). The
/// tests fail, never skip, when the services do not answer.
/// </summary>
public static class TestServices
{
    public static string PostgresUrl =>
        Environment.GetEnvironmentVariable("GATEHOUSE_TEST_POSTGRES") is { Length: > 0 } url ? url : "postgres://gatehouse:gatehouse@127.0.0.1:5432/gatehouse_test";

    public static string Redis =>
        Environment.GetEnvironmentVariable("GATEHOUSE_TEST_REDIS") is { Length: > 0 } redis ? redis : "127.0.0.1:6379";

    /// <summary>A name no other test uses (schema, key prefix).</summary>
    public static string UniqueName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..16];
}
