using System.Globalization;

namespace Gatehouse.Server.Config;

/// <summary>Parses durations such as <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>30d</c>, up to 100 years.</summary>
public static class DurationParser
{
    /// <summary>The longest duration accepted: 100 years of 365 days.</summary>
    public const double MaxSeconds = 100 * 365 * 86400d;

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

        var seconds = unit switch
        {
            "ms" => value / 1000,
            "s" => value,
            "m" => value * 60,
            "h" => value * 3600,
            "d" => value * 86400,
            _ => double.NaN,
        };

        // NaN, infinity and spans past a century are not durations anyone means: they would overflow date arithmetic.
        if (!double.IsFinite(seconds) || seconds > MaxSeconds)
        {
            return false;
        }

        duration = unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => TimeSpan.FromDays(value),
        };
        return true;
    }
}
