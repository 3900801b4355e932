using Gatehouse.Storage.Counters;
using Gatehouse.Storage.Postgres;
using Gatehouse.Storage.Redis;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Server.Config;

/// <summary>
/// Reads and checks where shared state lives: <c>storage.url</c> (SQLite or PostgreSQL) and the <c>redis</c>
/// section. Problems are reported at the value's line and column; passwords are never repeated.
/// </summary>
internal static class StateConfigReader
{
    /// <summary>What is wrong with a storage URL, or null.</summary>
    public static string? StorageUrlProblem(string url)
    {
        if (url.StartsWith("sqlite://", StringComparison.Ordinal))
        {
            return url.Length > "sqlite://".Length ? null : "'storage.url' sqlite:// needs a file path, for example sqlite://gatehouse.db.";
        }

        if (PostgresUrl.IsPostgres(url))
        {
            return PostgresUrl.TryParse(url, out _, out var error) is null ? $"'storage.url' \"{PostgresUrl.Redact(url)}\": {error}." : null;
        }

        return $"'storage.url' must start with sqlite:// or postgres://; got \"{PostgresUrl.Redact(url)}\".";
    }

    /// <summary>Reports a bad storage URL at its node.</summary>
    public static void CheckStorageUrl(YamlNodeReader reader, YamlNode node, string url)
    {
        if (StorageUrlProblem(url) is { } problem)
        {
            reader.Error(node, problem);
        }
    }

    /// <summary>Reads <c>redis: { url, failure_mode, key_prefix }</c>.</summary>
    public static RedisConfig ReadRedis(YamlNodeReader reader, YamlNode section)
    {
        var redis = new RedisConfig();
        foreach (var (key, value) in reader.Entries(section, "redis", ["url", "failure_mode", "key_prefix"]))
        {
            var text = reader.String(value, $"redis.{key}");
            switch (key)
            {
                case "url":
                    redis.Url = text ?? redis.Url;
                    if (RedisUrl.TryParse(redis.Url, out var error) is null)
                    {
                        reader.Error(value, $"'redis.url' \"{PostgresUrl.Redact(redis.Url)}\": {error}.");
                    }

                    break;
                case "failure_mode":
                    if (text == "closed" || text == "open")
                    {
                        redis.FailureMode = text == "open" ? CounterFailureMode.Open : CounterFailureMode.Closed;
                    }
                    else
                    {
                        reader.Error(value, $"'redis.failure_mode' must be closed (refuse requests while Redis is down) or open (count per replica); got \"{text}\".");
                    }

                    break;
                default:
                    if (text is not { Length: > 0 and <= 64 } prefix || prefix.AsSpan().IndexOfAny('{', '}') >= 0 || prefix.Contains(' ', StringComparison.Ordinal))
                    {
                        reader.Error(value, $"'redis.key_prefix' must be 1 to 64 characters without braces or spaces; got \"{text}\".");
                    }
                    else
                    {
                        redis.KeyPrefix = prefix;
                    }

                    break;
            }
        }

        return redis;
    }
}
