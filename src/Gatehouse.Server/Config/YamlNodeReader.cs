using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Server.Config;

/// <summary>Reads typed values out of YAML nodes, collecting every problem with its line and column.</summary>
internal sealed class YamlNodeReader
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(24);

    private readonly string _file;
    private readonly EnvInterpolator _env;

    public YamlNodeReader(string file, EnvInterpolator env)
    {
        _file = file;
        _env = env;
    }

    public List<ConfigError> Errors { get; } = [];

    public void Error(YamlNode node, string message) =>
        Errors.Add(new ConfigError(_file, (int)node.Start.Line, (int)node.Start.Column, message));

    /// <summary>Returns the mapping's entries, reporting keys outside <paramref name="known"/>.</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode node, string path, IReadOnlyCollection<string> known)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"'{path}' must be a mapping (key: value lines).");
            yield break;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!known.Contains(key))
            {
                var hint = Closest(key, known);
                Error(keyNode, $"unknown key '{key}' in '{path}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")} Known keys: {string.Join(", ", known)}.");
                continue;
            }

            yield return (key, value);
        }
    }

    public IEnumerable<YamlNode> Items(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"'{path}' must be a list (lines starting with '- ').");
            return [];
        }

        return sequence.Children;
    }

    /// <summary>Reads each item of a list with <paramref name="read"/> (given the item, <c>path[i]</c> and i).</summary>
    public List<T> List<T>(YamlNode node, string path, Func<YamlNode, string, int, T> read)
    {
        var list = new List<T>();
        foreach (var item in Items(node, path))
        {
            list.Add(read(item, $"{path}[{list.Count}]", list.Count));
        }

        return list;
    }

    public string? String(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"'{path}' must be a single value, not a list or mapping.");
            return null;
        }

        var expanded = _env.Expand(scalar.Value ?? string.Empty, out var error);
        if (error is not null)
        {
            Error(node, $"'{path}': {error}.");
            return null;
        }

        return expanded;
    }

    public long? Long(YamlNode node, string path, long min)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            Error(node, $"'{path}' must be a whole number of at least {min}; got \"{text}\".");
            return null;
        }

        return value;
    }

    public bool? Bool(YamlNode node, string path)
    {
        var text = String(node, path);
        switch (text)
        {
            case null: return null;
            case "true": return true;
            case "false": return false;
            default:
                Error(node, $"'{path}' must be true or false; got \"{text}\".");
                return null;
        }
    }

    public TimeSpan? Duration(YamlNode node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }

        if (!DurationParser.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
        {
            Error(node, $"'{path}' must be a positive duration such as 500ms, 30s or 5m; got \"{text}\".");
            return null;
        }

        // Every duration here drives a timer or a window, and the runtime's timers end at about 24.8 days.
        if (duration > MaxDuration)
        {
            Error(node, $"'{path}' must be at most 24d; got \"{text}\".");
            return null;
        }

        return duration;
    }

    public List<string> StringList(YamlNode node, string path)
    {
        var list = new List<string>();
        foreach (var item in Items(node, path))
        {
            if (String(item, path) is { } value)
            {
                list.Add(value);
            }
        }

        return list;
    }

    public Dictionary<string, string> StringMap(YamlNode node, string path)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"'{path}' must be a mapping of names to values.");
            return map;
        }

        foreach (var (key, value) in mapping.Children)
        {
            if ((key as YamlScalarNode)?.Value is { Length: > 0 } name && String(value, $"{path}.{name}") is { } text)
            {
                map[name] = text;
            }
        }

        return map;
    }

    /// <summary>The known word closest to <paramref name="word"/> by edit distance, if close enough to be a typo.</summary>
    public static string? Closest(string word, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = EditDistance.Compute(word, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= Math.Max(2, word.Length / 3) ? best : null;
    }
}
