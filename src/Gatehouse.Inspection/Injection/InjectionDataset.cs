using System.Text.Json;

namespace Gatehouse.Inspection.Injection;

/// <summary>Reads the labelled JSONL format of <c>eval/injection-tune.jsonl</c>: <c>{"text", "label", "source", "kind"}</c> a line.</summary>
public static class InjectionDataset
{
    /// <summary>Reads every non-empty line of <paramref name="path"/>.</summary>
    public static List<LabelledText> Load(string path)
    {
        var items = new List<LabelledText>();
        foreach (var line in File.ReadLines(path))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                items.Add(Parse(line));
            }
        }

        return items;
    }

    /// <summary>Parses one JSONL line.</summary>
    public static LabelledText Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        return new LabelledText(
            root.GetProperty("text").GetString() ?? string.Empty,
            root.GetProperty("label").GetInt32(),
            root.TryGetProperty("kind", out var kind) ? kind.GetString() ?? string.Empty : string.Empty,
            root.TryGetProperty("source", out var source) ? source.GetString() ?? string.Empty : string.Empty);
    }
}
