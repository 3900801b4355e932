using System.Globalization;

namespace Gatehouse.Server.Config;

/// <summary>A daily window of UTC time such as <c>09:00-17:00</c>; a window whose end is before its start wraps past midnight.</summary>
public readonly record struct HourRange(TimeSpan From, TimeSpan To)
{
    /// <summary>Whether <paramref name="time"/> (time of day, UTC) falls in the window; the start is included, the end is not.</summary>
    public bool Contains(TimeSpan time) => From <= To
        ? time >= From && time < To
        : time >= From || time < To;

    /// <summary>Parses <c>HH:MM-HH:MM</c> (24:00 allowed as an end).</summary>
    public static bool TryParse(string text, out HourRange range)
    {
        range = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !TryTime(text.AsSpan(0, dash).Trim(), out var from) || !TryTime(text.AsSpan(dash + 1).Trim(), out var to)
            || from == to || from == TimeSpan.FromHours(24))
        {
            return false;
        }

        range = new HourRange(from, to);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(int)From.TotalHours:00}:{From.Minutes:00}-{(int)To.TotalHours:00}:{To.Minutes:00}");

    private static bool TryTime(ReadOnlySpan<char> text, out TimeSpan time)
    {
        time = default;
        if (text.Length != 5 || text[2] != ':'
            || !int.TryParse(text[..2], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(text[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || minutes > 59 || hours > 24 || (hours == 24 && minutes > 0))
        {
            return false;
        }

        time = new TimeSpan(hours, minutes, 0);
        return true;
    }
}
