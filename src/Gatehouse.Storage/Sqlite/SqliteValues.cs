using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>Conversions between stored columns and values (lists are newline-joined; times are Unix milliseconds).</summary>
internal static class SqliteValues
{
    public static object List(IReadOnlyList<string> values) => string.Join('\n', values);

    public static IReadOnlyList<string> List(SqliteDataReader reader, int ordinal)
    {
        var text = reader.IsDBNull(ordinal) ? string.Empty : reader.GetString(ordinal);
        return text.Length == 0 ? [] : text.Split('\n');
    }

    public static object Time(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    public static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    public static object Nullable(long? value) => value is { } v ? v : DBNull.Value;

    public static string? String(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? Int64(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
