using System.Globalization;
using System.Text.Json;
using Gatehouse.Core;

namespace Gatehouse.Providers.Catalog;

/// <summary>The model catalog: shipped as an embedded data file, optionally overridden by a file without rebuilding.</summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<(string Provider, string Id), ModelInfo> _models;

    private ModelCatalog(Dictionary<(string Provider, string Id), ModelInfo> models) => _models = models;

    /// <summary>All models, in no particular order.</summary>
    public IEnumerable<ModelInfo> Models => _models.Values;

    /// <summary>How many models the catalog holds.</summary>
    public int Count => _models.Count;

    /// <summary>Loads the embedded catalog and, if given, merges an override file over it (same provider and id replaces).</summary>
    public static ModelCatalog Load(string? overridePath = null)
    {
        var models = new Dictionary<(string, string), ModelInfo>();
        using (var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("Gatehouse.Providers.models.json")
            ?? throw new InvalidOperationException("The embedded model catalog is missing from the build."))
        {
            Merge(models, JsonDocument.Parse(stream), "embedded catalog");
        }

        if (overridePath is not null)
        {
            using var file = File.OpenRead(overridePath);
            Merge(models, JsonDocument.Parse(file), overridePath);
        }

        return new ModelCatalog(models);
    }

    /// <summary>Finds a model by catalog provider and id; also tries the id without a date or version suffix.</summary>
    public ModelInfo? Find(string provider, string id)
    {
        if (_models.TryGetValue((provider, id), out var info))
        {
            return info;
        }

        // Azure deployments and OpenAI-compatible hosts often serve OpenAI or open models under their own names.
        if (provider is "azure" && _models.TryGetValue(("openai", id), out info))
        {
            return info;
        }

        return null;
    }

    /// <summary>The models of one catalog provider.</summary>
    public IEnumerable<ModelInfo> ForProvider(string provider)
    {
        foreach (var model in _models.Values)
        {
            if (model.Provider == provider)
            {
                yield return model;
            }
        }
    }

    /// <summary>The cost in USD of the given usage for a model, or null if the model is not priced.</summary>
    public static decimal Cost(ModelInfo model, Usage usage)
    {
        const decimal PerToken = 1_000_000m;
        var cost = (usage.InputTokens * model.InputPrice)
            + (usage.OutputTokens * model.OutputPrice)
            + (usage.CachedInputTokens * (model.CachedInputPrice ?? model.InputPrice))
            + (usage.CacheWriteTokens * (model.CacheWritePrice ?? model.InputPrice));
        if (model.ReasoningPrice is { } reasoning)
        {
            // Reasoning tokens are part of output; bill the difference where the provider prices them apart.
            cost += usage.ReasoningTokens * (reasoning - model.OutputPrice);
        }

        return cost / PerToken;
    }

    private static void Merge(Dictionary<(string, string), ModelInfo> into, JsonDocument document, string source)
    {
        using (document)
        {
            if (!document.RootElement.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{source}: expected an object with a 'models' array.");
            }

            var index = 0;
            foreach (var item in models.EnumerateArray())
            {
                var info = Read(item, $"{source}: models[{index++}]");
                into[(info.Provider, info.Id)] = info;
            }
        }
    }

    private static ModelInfo Read(JsonElement item, string where)
    {
        string Str(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InvalidDataException($"{where}: '{name}' is required.");
        decimal? Price(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDecimal() is >= 0 and var d ? d : throw new InvalidDataException($"{where}: '{name}' must not be negative.")
            : null;
        int Int(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
        var capabilities = new List<string>();
        if (item.TryGetProperty("capabilities", out var caps) && caps.ValueKind == JsonValueKind.Array)
        {
            foreach (var cap in caps.EnumerateArray())
            {
                capabilities.Add(cap.GetString() ?? string.Empty);
            }
        }

        return new ModelInfo
        {
            Provider = Str("provider"),
            Id = Str("id"),
            Mode = item.TryGetProperty("mode", out var mode) && mode.ValueKind == JsonValueKind.String ? mode.GetString()! : "chat",
            ContextWindow = Int("context_window"),
            MaxOutput = Int("max_output"),
            InputPrice = Price("input") ?? 0,
            OutputPrice = Price("output") ?? 0,
            CachedInputPrice = Price("cached_input"),
            CacheWritePrice = Price("cache_write"),
            ReasoningPrice = Price("reasoning"),
            Capabilities = capabilities,
        };
    }

    /// <summary>Formats a USD amount for logs and headers.</summary>
    public static string FormatUsd(decimal amount) => amount.ToString("0.##########", CultureInfo.InvariantCulture);
}
