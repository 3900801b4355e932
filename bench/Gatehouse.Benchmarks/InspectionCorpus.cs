using System.Text;
using System.Text.Json;

namespace Gatehouse.Benchmarks;

/// <summary>
/// The texts the inspection benchmarks scan, built from files of the repository so every run scans the same
/// characters: a mixed corpus of 1,000,000 characters in 4,096-character prompts (round robin over documentation
/// prose, C# source, the injection tuning set's prompts and documents, and the generated PII and secrets sentences),
/// and one benign 4 KB prompt (design notes plus code) that passes every built-in input guardrail.
/// </summary>
public static class InspectionCorpus
{
    /// <summary>Characters in the mixed corpus.</summary>
    public const int CorpusChars = 1_000_000;

    /// <summary>Characters in one prompt.</summary>
    public const int PromptChars = 4096;

    /// <summary>The repository root (the directory with Gatehouse.slnx above the current or the binary's directory).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The mixed corpus as 4 KB prompts.</summary>
    public static IReadOnlyList<string> Chunks() => Split(Mixed(), PromptChars);

    /// <summary>The benign 4 KB prompt: a review request with a slice of docs/benchmarks.md and of a C# file.</summary>
    public static string Prompt()
    {
        var notes = File.ReadAllText(Path.Combine(Root, "docs", "benchmarks.md"));
        var code = File.ReadAllText(Path.Combine(Root, "src", "Gatehouse.Server", "Pipeline", "UnaryRelay.cs"));
        var prompt = "Please review these design notes and the code below, point out anything unclear, and suggest improvements.\n\n" + notes;
        prompt = prompt[..Math.Min(prompt.Length, 2600)] + "\n\n```csharp\n" + code;
        return prompt[..PromptChars];
    }

    /// <summary>The five sources of the mixed corpus, each with a short name, in round-robin order.</summary>
    public static IReadOnlyList<(string Name, string Text)> Sources() =>
    [
        ("docs", Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal).Select(File.ReadAllText))),
        ("csharp", Concat(Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(400).Select(File.ReadAllText))),
        ("injection-tune", Concat(JsonTexts(Path.Combine(Root, "eval", "injection-tune.jsonl")))),
        ("pii-generated", Concat(JsonTexts(Path.Combine(Root, "eval", "pii-generated.jsonl")))),
        ("secrets-generated", Concat(JsonTexts(Path.Combine(Root, "eval", "secrets-generated.jsonl")))),
    ];

    /// <summary>
    /// The text the mixed corpus takes from the source named <paramref name="name"/>, in the pieces it takes (up to
    /// 4 KB each): for measuring a detector on one kind of text.
    /// </summary>
    public static IReadOnlyList<string> Pieces(string name)
    {
        var sources = Sources();
        var pieces = new List<string>();
        var length = 0;
        for (var offset = 0; length < CorpusChars; offset += PromptChars)
        {
            foreach (var (source, text) in sources)
            {
                var from = offset % text.Length;
                var piece = text.Substring(from, Math.Min(Math.Min(PromptChars, text.Length - from), CorpusChars - length));
                length += piece.Length;
                if (source == name && piece.Length > 0)
                {
                    pieces.Add(piece);
                }
            }
        }

        return pieces;
    }

    private static string Mixed()
    {
        var sources = Sources().Select(s => s.Text).ToArray();
        var builder = new StringBuilder(CorpusChars);
        for (var offset = 0; builder.Length < CorpusChars; offset += PromptChars)
        {
            foreach (var source in sources)
            {
                var from = offset % source.Length;
                builder.Append(source.AsSpan(from, Math.Min(PromptChars, source.Length - from)));
            }
        }

        return builder.ToString(0, CorpusChars);
    }

    private static IEnumerable<string> JsonTexts(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!);

    private static string Concat(IEnumerable<string> texts) => string.Join("\n\n", texts);

    private static List<string> Split(string text, int size)
    {
        var chunks = new List<string>();
        for (var i = 0; i < text.Length; i += size)
        {
            chunks.Add(text.Substring(i, Math.Min(size, text.Length - i)));
        }

        return chunks;
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run from inside the repository: Gatehouse.slnx not found.");
    }
}
