using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gatehouse.Inspection.Evaluation;

/// <summary>
/// Reads and writes the span-labelled JSONL format of <c>eval/pii-generated.jsonl</c> and <c>eval/secrets-generated.jsonl</c>:
/// <c>{"text", "detector", "category", "source", "spans": [{"start", "length", "type", "rule"} | {"start", "length", "decoy"}]}</c> a line.
/// </summary>
public static class SpanDataset
{
    /// <summary>Reads every non-empty line of <paramref name="path"/>.</summary>
    public static List<SpanExample> Load(string path)
    {
        var items = new List<SpanExample>();
        foreach (var line in File.ReadLines(path))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                items.Add(Parse(line));
            }
        }

        return items;
    }

    /// <summary>True when a JSONL line is a span-labelled record (it has <c>spans</c>), as opposed to an injection record.</summary>
    public static bool IsSpanRecord(string line, out string? detector)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        detector = root.TryGetProperty("detector", out var d) ? d.GetString() : null;
        return root.TryGetProperty("spans", out _);
    }

    /// <summary>Parses one JSONL line.</summary>
    public static SpanExample Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var spans = new List<SpanLabel>();
        foreach (var span in root.GetProperty("spans").EnumerateArray())
        {
            spans.Add(new SpanLabel(
                span.GetProperty("start").GetInt32(),
                span.GetProperty("length").GetInt32(),
                String(span, "type"),
                String(span, "rule"),
                String(span, "decoy")));
        }

        return new SpanExample(
            root.GetProperty("text").GetString() ?? string.Empty,
            String(root, "detector") ?? string.Empty,
            String(root, "category") ?? string.Empty,
            spans,
            String(root, "source") ?? string.Empty);
    }

    /// <summary>One JSONL line for <paramref name="example"/> (keys in a fixed order, so generated files diff cleanly).</summary>
    public static string Format(SpanExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var buffer = new ArrayBufferWriter<byte>(example.Text.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("text", example.Text);
            writer.WriteString("detector", example.Detector);
            writer.WriteString("category", example.Category);
            writer.WriteString("source", example.Source);
            writer.WriteStartArray("spans");
            foreach (var span in example.Spans)
            {
                writer.WriteStartObject();
                writer.WriteNumber("start", span.Start);
                writer.WriteNumber("length", span.Length);
                if (span.Type is not null)
                {
                    writer.WriteString("type", span.Type);
                }

                if (span.Rule is not null)
                {
                    writer.WriteString("rule", span.Rule);
                }

                if (span.Decoy is not null)
                {
                    writer.WriteString("decoy", span.Decoy);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
