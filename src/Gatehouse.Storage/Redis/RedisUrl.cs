using System.Globalization;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// Parses <c>redis://[user:password@]host:port[/db]</c> (or <c>rediss://</c> for TLS) into client options. Errors
/// never repeat the password.
/// </summary>
public static class RedisUrl
{
    /// <summary>Parses the URL; on failure returns null and a message naming what is wrong.</summary>
    public static ConfigurationOptions? TryParse(string url, out string? error)
    {
        error = null;
        var tls = url.StartsWith("rediss://", StringComparison.Ordinal);
        if ((!tls && !url.StartsWith("redis://", StringComparison.Ordinal)) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = "expected redis://host:port (or rediss:// for TLS)";
            return null;
        }

        if (uri.Query.Length > 0)
        {
            error = "query parameters are not supported";
            return null;
        }

        var options = new ConfigurationOptions
        {
            Ssl = tls,
            AbortOnConnectFail = false,
            ConnectTimeout = 2_000,
            SyncTimeout = 2_000,
            AsyncTimeout = 2_000,
            ConnectRetry = 1,
            ClientName = "gatehouse",
            ReconnectRetryPolicy = new ExponentialRetry(250, 5_000),

            // While disconnected, fail at once (the failure mode decides) instead of queueing until a timeout.
            BacklogPolicy = BacklogPolicy.FailFast,
        };
        options.EndPoints.Add(uri.Host.Trim('[', ']'), uri.IsDefaultPort || uri.Port <= 0 ? 6379 : uri.Port);
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? string.Empty : uri.UserInfo[..colon]);
            options.User = user.Length > 0 ? user : null;
            options.Password = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[(colon + 1)..]);
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var db) || db > 15)
            {
                error = $"database \"{path}\" must be a number from 0 to 15";
                return null;
            }

            options.DefaultDatabase = db;
        }

        return options;
    }
}
