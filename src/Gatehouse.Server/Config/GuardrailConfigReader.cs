using System.Globalization;
using System.Text.RegularExpressions;
using Gatehouse.Inspection.Structured;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Server.Config;

/// <summary>Reads the <c>guardrails:</c> list, checking each guardrail's detector, parameters, stages and action where they are written.</summary>
internal static class GuardrailConfigReader
{
    private static readonly string[] CommonKeys = ["name", "detector", "apply_to", "models", "teams", "keys", "action", "timeout", "on_error", "route_to", "stream_window", "stream_max_chars"];

    private static readonly Dictionary<string, string[]> DetectorKeys = new(StringComparer.Ordinal)
    {
        ["pii"] = ["types", "dictionary", "min_confidence"],
        ["secrets"] = ["min_confidence"],
        ["content"] = ["banned", "patterns", "max_chars"],
        ["prompt_injection"] = ["threshold"],
        ["json_schema"] = ["schema"],
        ["tool_policy"] = ["allowed", "denied", "arguments"],
        ["webhook"] = ["url", "headers", "cache_ttl"],
        ["llm_judge"] = ["model", "policy", "categories"],
    };

    private static readonly string[] AllKeys = [.. CommonKeys, .. DetectorKeys.Values.SelectMany(k => k).Distinct(StringComparer.Ordinal)];

    /// <summary>The detector names a guardrail may use.</summary>
    public static IReadOnlyCollection<string> Detectors => DetectorKeys.Keys;

    /// <summary>Reads every guardrail of the list.</summary>
    public static List<GuardrailConfig> Read(YamlNodeReader reader, YamlNode node)
    {
        var list = new List<GuardrailConfig>();
        var i = 0;
        foreach (var item in reader.Items(node, "guardrails"))
        {
            list.Add(ReadOne(reader, item, $"guardrails[{i++}]"));
        }

        return list;
    }

    private static GuardrailConfig ReadOne(YamlNodeReader reader, YamlNode node, string path)
    {
        var g = new GuardrailConfig { Line = (int)node.Start.Line };
        var entries = reader.Entries(node, path, AllKeys).ToList();
        YamlNode? applyNode = null, actionNode = null;
        foreach (var (key, value) in entries)
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "name": g.Name = reader.String(value, at) ?? string.Empty; break;
                case "detector": g.Detector = ReadDetector(reader, value, at); break;
                case "apply_to": g.ApplyTo = value is YamlScalarNode ? [reader.String(value, at) ?? string.Empty] : reader.StringList(value, at); applyNode = value; break;
                case "models": g.Models = reader.StringList(value, at); break;
                case "teams": g.Teams = reader.StringList(value, at); break;
                case "keys": g.Keys = reader.StringList(value, at); break;
                case "action": g.Action = reader.String(value, at) ?? g.Action; actionNode = value; break;
                case "timeout": g.Timeout = reader.Duration(value, at); break;
                case "on_error": g.FailOpen = ReadOnError(reader, value, at); break;
                case "route_to": g.RouteTo = reader.String(value, at); break;
                case "stream_window": g.StreamWindow = (int)(Bounded(reader, value, at, 64, 4096) ?? g.StreamWindow); break;
                case "stream_max_chars": g.StreamMaxChars = (int)(Bounded(reader, value, at, 1024, 16 * 1024 * 1024) ?? g.StreamMaxChars); break;
                case "types": g.Types = ReadPiiTypes(reader, value, at); break;
                case "dictionary": g.Dictionary = reader.StringMap(value, at); break;
                case "min_confidence": g.MinConfidence = Fraction(reader, value, at) ?? g.MinConfidence; break;
                case "banned": g.Banned = reader.StringList(value, at); break;
                case "patterns": g.Patterns = ReadPatterns(reader, value, at); break;
                case "max_chars": g.MaxChars = (int?)Bounded(reader, value, at, 1, int.MaxValue); break;
                case "threshold": g.Threshold = Fraction(reader, value, at); break;
                case "schema": g.Schema = ReadSchema(reader, value, at); break;
                case "allowed": g.Allowed = reader.StringList(value, at); break;
                case "denied": g.Denied = reader.StringList(value, at); break;
                case "arguments": g.Arguments = ReadArguments(reader, value, at); break;
                case "url": g.Url = ReadUrl(reader, value, at); break;
                case "headers": g.Headers = reader.StringMap(value, at); break;
                case "cache_ttl": g.CacheTtl = ReadCacheTtl(reader, value, at) ?? g.CacheTtl; break;
                case "model": g.Model = reader.String(value, at); break;
                case "policy": g.Policy = reader.String(value, at); break;
                case "categories": g.Categories = reader.StringMap(value, at); break;
            }
        }

        if (g.Name.Length == 0)
        {
            reader.Error(node, $"'{path}.name' is required: it names the guardrail in errors, headers, logs and metrics.");
        }

        if (g.Detector.Length == 0)
        {
            reader.Error(node, $"'{path}.detector' is required: one of {string.Join(", ", Detectors)}.");
            return g;
        }

        if (!DetectorKeys.TryGetValue(g.Detector, out var own))
        {
            return g;
        }

        foreach (var (key, value) in entries)
        {
            if (Array.IndexOf(CommonKeys, key) < 0 && Array.IndexOf(own, key) < 0)
            {
                var owner = DetectorKeys.First(d => Array.IndexOf(d.Value, key) >= 0).Key;
                reader.Error(value, $"'{path}.{key}' belongs to the {owner} detector, not {g.Detector}. Keys of {g.Detector}: {string.Join(", ", own)}.");
            }
        }

        if (g.ApplyTo.Count == 0)
        {
            g.ApplyTo = GuardrailRules.DefaultStages(g.Detector);
        }

        GuardrailRules.Check(g, path, message => reader.Error(applyNode ?? node, message), message => reader.Error(actionNode ?? node, message));
        return g;
    }

    private static string ReadDetector(YamlNodeReader reader, YamlNode value, string at)
    {
        var detector = reader.String(value, at) ?? string.Empty;
        if (detector.Length > 0 && !DetectorKeys.ContainsKey(detector))
        {
            var hint = YamlNodeReader.Closest(detector, Detectors);
            reader.Error(value, $"'{at}': unknown detector '{detector}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")} Detectors: {string.Join(", ", Detectors)}.");
        }

        return detector;
    }

    private static bool ReadOnError(YamlNodeReader reader, YamlNode value, string at)
    {
        var text = reader.String(value, at);
        if (text is "open" or "closed" or null)
        {
            return text != "closed";
        }

        reader.Error(value, $"'{at}' must be open (allow and record not_scanned) or closed (refuse the request); got \"{text}\".");
        return true;
    }

    private static List<string> ReadPiiTypes(YamlNodeReader reader, YamlNode value, string at)
    {
        var types = reader.StringList(value, at);
        foreach (var type in types)
        {
            if (!GuardrailRules.PiiTypes.Contains(type))
            {
                var hint = YamlNodeReader.Closest(type, GuardrailRules.PiiTypes);
                reader.Error(value, $"'{at}': unknown PII type '{type}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")} Types: {string.Join(", ", GuardrailRules.PiiTypes)}.");
            }
        }

        return types;
    }

    private static List<string> ReadPatterns(YamlNodeReader reader, YamlNode value, string at)
    {
        var patterns = reader.StringList(value, at);
        for (var i = 0; i < patterns.Count; i++)
        {
            CheckRegex(reader, value, $"{at}[{i}]", patterns[i]);
        }

        return patterns;
    }

    private static void CheckRegex(YamlNodeReader reader, YamlNode value, string at, string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            reader.Error(value, $"'{at}': invalid regex \"{pattern}\" ({ex.Message}). Patterns run without backtracking, so lookarounds and backreferences are not available.");
        }
    }

    private static string? ReadSchema(YamlNodeReader reader, YamlNode value, string at)
    {
        var json = value is YamlScalarNode ? reader.String(value, at) : YamlJson.ToJson(value);
        if (json is null)
        {
            return null;
        }

        try
        {
            _ = JsonSchemaValidator.Compile(json);
        }
        catch (ArgumentException ex)
        {
            reader.Error(value, $"'{at}': {ex.Message}");
            return null;
        }

        return json;
    }

    private static List<ToolArgumentConfig> ReadArguments(YamlNodeReader reader, YamlNode value, string at)
    {
        var list = new List<ToolArgumentConfig>();
        var i = 0;
        foreach (var item in reader.Items(value, at))
        {
            var itemPath = $"{at}[{i++}]";
            var argument = new ToolArgumentConfig();
            foreach (var (k, v) in reader.Entries(item, itemPath, ["tool", "path", "pattern", "schema", "required"]))
            {
                switch (k)
                {
                    case "tool": argument.Tool = reader.String(v, $"{itemPath}.tool") ?? argument.Tool; break;
                    case "path": argument.Path = reader.String(v, $"{itemPath}.path") ?? string.Empty; break;
                    case "pattern":
                        argument.Pattern = reader.String(v, $"{itemPath}.pattern");
                        if (argument.Pattern is not null)
                        {
                            CheckRegex(reader, v, $"{itemPath}.pattern", argument.Pattern);
                        }

                        break;
                    case "schema": argument.Schema = ReadSchema(reader, v, $"{itemPath}.schema"); break;
                    case "required": argument.Required = reader.String(v, $"{itemPath}.required") is "true" or "yes"; break;
                }
            }

            if (!argument.Path.StartsWith('/'))
            {
                reader.Error(item, $"'{itemPath}.path' must be a JSON Pointer into the arguments, such as /path or /options/url.");
            }

            list.Add(argument);
        }

        return list;
    }

    private static string? ReadUrl(YamlNodeReader reader, YamlNode value, string at)
    {
        var url = reader.String(value, at);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            reader.Error(value, $"'{at}' must be an absolute http(s) URL; got \"{url}\".");
        }

        return url;
    }

    private static TimeSpan? ReadCacheTtl(YamlNodeReader reader, YamlNode value, string at) =>
        reader.String(value, at) is "0" or "off" ? TimeSpan.Zero : reader.Duration(value, at);

    private static long? Bounded(YamlNodeReader reader, YamlNode value, string at, long min, long max)
    {
        var number = reader.Long(value, at, min);
        if (number > max)
        {
            reader.Error(value, $"'{at}' must be from {min} to {max}; got {number}.");
            return null;
        }

        return number;
    }

    private static double? Fraction(YamlNodeReader reader, YamlNode value, string at)
    {
        var text = reader.String(value, at);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 1)
        {
            return number;
        }

        reader.Error(value, $"'{at}' must be a number from 0 to 1; got \"{text}\".");
        return null;
    }
}
