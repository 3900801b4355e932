using System.Data.Common;
using System.Globalization;

namespace Gatehouse.Storage.Rows;

/// <summary>
/// Conversions between stored columns and values, the same on SQLite and PostgreSQL: lists are newline-joined text,
/// times are Unix milliseconds, thresholds are comma-joined.
/// </summary>
internal static class StoredValues
{
    public static object List(IReadOnlyList<string> values) => string.Join('\n', values);

    public static IReadOnlyList<string> List(DbDataReader reader, int ordinal)
    {
        var text = reader.IsDBNull(ordinal) ? string.Empty : reader.GetString(ordinal);
        return text.Length == 0 ? [] : text.Split('\n');
    }

    public static object Thresholds(IReadOnlyList<double> values)
    {
        var parts = new string[values.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = values[i].ToString("R", CultureInfo.InvariantCulture);
        }

        return string.Join(',', parts);
    }

    public static IReadOnlyList<double> Thresholds(DbDataReader reader, int ordinal)
    {
        var text = reader.GetString(ordinal);
        return text.Length == 0 ? [] : [.. text.Split(',').Select(t => double.Parse(t, CultureInfo.InvariantCulture))];
    }

    public static object Time(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    public static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    public static object Nullable(long? value) => value is { } v ? v : DBNull.Value;

    public static object Nullable(double? value) => value is { } v ? v : DBNull.Value;

    public static string? String(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? Int64(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static double? Double(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static byte[] Bytes(DbDataReader reader, int ordinal) => (byte[])reader.GetValue(ordinal);
}
