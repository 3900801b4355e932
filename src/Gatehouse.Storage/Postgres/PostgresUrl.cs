using System.Text.RegularExpressions;
using Npgsql;

namespace Gatehouse.Storage.Postgres;

/// <summary>
/// Parses <c>postgres://user:password@host:port/database?schema=name&amp;sslmode=require</c> (also
/// <c>postgresql://</c>) into an Npgsql connection string. Errors never repeat the password.
/// </summary>
public static partial class PostgresUrl
{
    /// <summary>Whether the URL names PostgreSQL at all (its scheme).</summary>
    public static bool IsPostgres(string url) =>
        url.StartsWith("postgres://", StringComparison.Ordinal) || url.StartsWith("postgresql://", StringComparison.Ordinal);

    /// <summary>Parses the URL; on failure returns null and a message that names what is wrong.</summary>
    public static NpgsqlConnectionStringBuilder? TryParse(string url, out string? schema, out string? error)
    {
        schema = null;
        error = null;
        if (!IsPostgres(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = "expected postgres://user:password@host:port/database";
            return null;
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            error = "the URL names no database; expected postgres://user:password@host:port/database";
            return null;
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database,
            ApplicationName = "gatehouse",
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = Uri.UnescapeDataString(eq < 0 ? string.Empty : pair[(eq + 1)..]);
            switch (name)
            {
                case "schema":
                    if (!SchemaName().IsMatch(value))
                    {
                        error = $"schema \"{value}\" must be lowercase letters, digits and '_' (at most 63), starting with a letter or '_'";
                        return null;
                    }

                    schema = value;
                    builder.SearchPath = value;
                    break;
                case "sslmode":
                    if (!Enum.TryParse<SslMode>(value, ignoreCase: true, out var mode))
                    {
                        error = $"sslmode \"{value}\" is not one of disable, allow, prefer, require, verify-ca, verify-full";
                        return null;
                    }

                    builder.SslMode = mode;
                    break;
                case "pool_size":
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) || size is < 1 or > 1000)
                    {
                        error = $"pool_size \"{value}\" must be a number from 1 to 1000";
                        return null;
                    }

                    builder.MaxPoolSize = size;
                    break;
                default:
                    error = $"unknown parameter \"{name}\"; known: schema, sslmode, pool_size";
                    return null;
            }
        }

        return builder;
    }

    /// <summary>The URL with the password replaced by <c>***</c>, for logs and errors.</summary>
    public static string Redact(string url)
    {
        var at = url.LastIndexOf('@');
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme)
        {
            return url;
        }

        var colon = url.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? string.Concat(url.AsSpan(0, colon + 1), "***", url.AsSpan(at)) : url;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
