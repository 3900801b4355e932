using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Server.Config;

/// <summary>Reads the <c>routers:</c> list: conditional rules, the semantic block and the default, checked where they are written.</summary>
internal static class RouterConfigReader
{
    private static readonly string[] RouterKeys = ["name", "aliases", "rules", "semantic", "default"];
    private static readonly string[] RuleKeys = ["name", "when", "model"];
    private static readonly string[] WhenKeys = ["headers", "teams", "users", "tags", "models", "has_tools", "has_images", "min_prompt_tokens", "max_prompt_tokens", "hours"];
    private static readonly string[] SemanticKeys = ["embedder", "threshold", "window", "cache_size", "timeout", "routes"];
    private static readonly string[] RouteKeys = ["name", "model", "description", "examples"];

    /// <summary>Reads every router of the list.</summary>
    public static List<RouterConfig> Read(YamlNodeReader reader, YamlNode node) =>
        reader.List(node, "routers", (item, path, _) => ReadRouter(reader, item, path));

    private static RouterConfig ReadRouter(YamlNodeReader reader, YamlNode node, string path)
    {
        var router = new RouterConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in reader.Entries(node, path, RouterKeys))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "name": router.Name = reader.String(value, at) ?? string.Empty; break;
                case "aliases": router.Aliases = reader.StringList(value, at); break;
                case "default": router.Default = Reference(reader, value, at); break;
                case "semantic": router.Semantic = ReadSemantic(reader, value, at); break;
                default: router.Rules = reader.List(value, at, (item, itemPath, i) => ReadRule(reader, item, itemPath, i)); break;
            }
        }

        if (router.Name.Length == 0)
        {
            reader.Error(node, $"'{path}.name' is required: the model name clients ask for to use this router.");
        }

        if (router.Default is null)
        {
            reader.Error(node, $"'{path}.default' is required: the model used when no rule matches and no semantic route is close enough.");
        }

        if (router.Rules.Count == 0 && router.Semantic is null)
        {
            reader.Error(node, $"'{path}' needs 'rules', 'semantic' or both; with neither it would always choose its default.");
        }

        return router;
    }

    private static RouteRuleConfig ReadRule(YamlNodeReader reader, YamlNode node, string path, int index)
    {
        var rule = new RouteRuleConfig { Line = (int)node.Start.Line, Name = $"rule{index + 1}" };
        foreach (var (key, value) in reader.Entries(node, path, RuleKeys))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "name": rule.Name = reader.String(value, at) ?? rule.Name; break;
                case "model": rule.Model = Reference(reader, value, at); break;
                default: ReadWhen(reader, value, at, rule.When); break;
            }
        }

        if (rule.Model is null)
        {
            reader.Error(node, $"'{path}.model' is required: the virtual model or provider/model this rule sends matching requests to.");
        }

        return rule;
    }

    private static void ReadWhen(YamlNodeReader reader, YamlNode node, string path, RouteConditionConfig when)
    {
        foreach (var (key, value) in reader.Entries(node, path, WhenKeys))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "headers": ReadHeaders(reader, value, at, when); break;
                case "teams": when.Teams = OneOrMany(reader, value, at); break;
                case "users": when.Users = OneOrMany(reader, value, at); break;
                case "tags": when.Tags = OneOrMany(reader, value, at); break;
                case "models": when.Models = OneOrMany(reader, value, at); break;
                case "has_tools": when.HasTools = reader.Bool(value, at); break;
                case "has_images": when.HasImages = reader.Bool(value, at); break;
                case "min_prompt_tokens": when.MinPromptTokens = reader.Long(value, at, 0); break;
                case "max_prompt_tokens": when.MaxPromptTokens = reader.Long(value, at, 0); break;
                default:
                    foreach (var (text, item) in OneOrManyNodes(reader, value, at))
                    {
                        if (HourRange.TryParse(text, out var range))
                        {
                            when.Hours.Add(range);
                        }
                        else
                        {
                            reader.Error(item, $"'{at}' must be a UTC window such as \"09:00-17:00\" (HH:MM-HH:MM, end after 00:00 wraps past midnight); got \"{text}\".");
                        }
                    }

                    break;
            }
        }

        if (when.MinPromptTokens is { } min && when.MaxPromptTokens is { } max && min > max)
        {
            reader.Error(node, $"'{path}': min_prompt_tokens ({min}) is larger than max_prompt_tokens ({max}); no request could match.");
        }
    }

    private static void ReadHeaders(YamlNodeReader reader, YamlNode node, string path, RouteConditionConfig when)
    {
        if (node is not YamlMappingNode mapping)
        {
            reader.Error(node, $"'{path}' must be a mapping of header names to a value or a list of values.");
            return;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var values = OneOrMany(reader, value, $"{path}.{name}");
            if (name.Length == 0 || values.Count == 0)
            {
                reader.Error(keyNode, $"'{path}' entries need a header name and at least one value (\"*\" matches any value).");
                continue;
            }

            when.Headers[name] = values;
        }
    }

    private static SemanticConfig ReadSemantic(YamlNodeReader reader, YamlNode node, string path)
    {
        var semantic = new SemanticConfig { Line = (int)node.Start.Line, EmbedderAt = ((int)node.Start.Line, (int)node.Start.Column) };
        foreach (var (key, value) in reader.Entries(node, path, SemanticKeys))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "embedder":
                    semantic.Embedder = reader.String(value, at) ?? semantic.Embedder;
                    semantic.EmbedderAt = ((int)value.Start.Line, (int)value.Start.Column);
                    if (!IsEmbedderName(semantic.Embedder))
                    {
                        reader.Error(value, $"'{at}' must be hashed, minilm or provider:NAME/MODEL (a configured provider's embeddings model); got \"{semantic.Embedder}\".");
                    }

                    break;
                case "threshold": semantic.Threshold = Similarity(reader, value, at); break;
                case "window": semantic.Window = (int)(reader.Long(value, at, 1) ?? semantic.Window); break;
                case "cache_size": semantic.CacheSize = (int)Math.Min(reader.Long(value, at, 0) ?? semantic.CacheSize, 1_000_000); break;
                case "timeout": semantic.Timeout = reader.Duration(value, at) ?? semantic.Timeout; break;
                default: semantic.Routes = reader.List(value, at, (item, itemPath, _) => ReadRoute(reader, item, itemPath)); break;
            }
        }

        if (semantic.Routes.Count == 0)
        {
            reader.Error(node, $"'{path}.routes' must list at least one route with a name, a model and examples.");
        }

        if (semantic.Embedder.StartsWith("provider:", StringComparison.Ordinal) && semantic.Threshold is null)
        {
            reader.Error(node, $"'{path}.threshold' is required with a provider embedder: similarity scales differ between embedding models (try 'gatehouse route eval').");
        }

        return semantic;
    }

    private static SemanticRouteConfig ReadRoute(YamlNodeReader reader, YamlNode node, string path)
    {
        var route = new SemanticRouteConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in reader.Entries(node, path, RouteKeys))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "name": route.Name = reader.String(value, at) ?? string.Empty; break;
                case "model": route.Model = Reference(reader, value, at); break;
                case "description": route.Description = reader.String(value, at); break;
                default: route.Examples = reader.StringList(value, at); break;
            }
        }

        if (route.Name.Length == 0 || route.Model is null)
        {
            reader.Error(node, $"'{path}' needs a 'name' and a 'model'.");
        }

        if (route.Examples.Count == 0 && string.IsNullOrWhiteSpace(route.Description))
        {
            reader.Error(node, $"'{path}' needs 'examples' (utterances of requests that belong to it) or a 'description'.");
        }

        return route;
    }

    /// <summary>Whether <paramref name="name"/> is a well-formed embedder name (a provider embedder's provider is checked later).</summary>
    public static bool IsEmbedderName(string name)
    {
        if (name is "hashed" or "minilm")
        {
            return true;
        }

        if (!name.StartsWith("provider:", StringComparison.Ordinal))
        {
            return false;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > "provider:".Length && slash < name.Length - 1;
    }

    private static ModelReference? Reference(YamlNodeReader reader, YamlNode node, string path) =>
        reader.String(node, path) is { Length: > 0 } name ? new ModelReference(name, (int)node.Start.Line, (int)node.Start.Column) : null;

    private static List<string> OneOrMany(YamlNodeReader reader, YamlNode node, string path) =>
        [.. OneOrManyNodes(reader, node, path).Select(v => v.Text)];

    private static List<(string Text, YamlNode Node)> OneOrManyNodes(YamlNodeReader reader, YamlNode node, string path)
    {
        var list = new List<(string, YamlNode)>();
        foreach (var item in node is YamlSequenceNode sequence ? sequence.Children : [node])
        {
            if (reader.String(item, path) is { } text)
            {
                list.Add((text, item));
            }
        }

        return list;
    }

    private static double? Similarity(YamlNodeReader reader, YamlNode node, string path)
    {
        var text = reader.String(node, path);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= -1 and <= 1)
        {
            return value;
        }

        reader.Error(node, $"'{path}' must be a cosine similarity from -1 to 1 (a route wins at or above it); got \"{text}\".");
        return null;
    }
}
