using System.Globalization;

namespace Gatehouse.Server.Config;

/// <summary>Parses durations such as <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>30d</c>.</summary>
public static class DurationParser
{
    /// <summary>Parses a duration; false if the text is not one.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], "ms")
            : text.Length > 1 && char.IsLetter(text[^1]) ? (text[..^1], text[^1..])
            : (text, "s");
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return false;
        }

        switch (unit)
        {
            case "ms":
                duration = TimeSpan.FromMilliseconds(value);
                return true;
            case "s":
                duration = TimeSpan.FromSeconds(value);
                return true;
            case "m":
                duration = TimeSpan.FromMinutes(value);
                return true;
            case "h":
                duration = TimeSpan.FromHours(value);
                return true;
            case "d":
                duration = TimeSpan.FromDays(value);
                return true;
            default:
                return false;
        }
    }
}
