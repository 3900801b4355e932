using System.Globalization;
using System.Text;

namespace Gatehouse.Inspection.Evaluation;

/// <summary>What a negative-corpus scan found: every finding (all false positives), per rule, per 10 MB.</summary>
public sealed class NegativeCorpusReport
{
    /// <summary>Files scanned.</summary>
    public int Files { get; set; }

    /// <summary>Bytes scanned (file sizes on disk).</summary>
    public long Bytes { get; set; }

    /// <summary>UTF-16 characters scanned.</summary>
    public long Characters { get; set; }

    /// <summary>Seconds spent in the detector (reading files excluded).</summary>
    public double Seconds { get; set; }

    /// <summary>Manifest entries that were missing or had another size (not scanned).</summary>
    public List<string> Changed { get; } = [];

    /// <summary>Every finding: rule (or type), where (file:line) and the text.</summary>
    public List<(string Rule, string Where, string Value)> FalsePositives { get; } = [];

    /// <summary>False positives per 10 MB (10^7 bytes).</summary>
    public double PerTenMegabytes => Bytes == 0 ? 0 : FalsePositives.Count / (Bytes / 1e7);

    /// <summary>Scanning speed in millions of characters per second.</summary>
    public double MegacharsPerSecond => Seconds == 0 ? 0 : Characters / Seconds / 1e6;

    internal void Add(Detection detection, string where, string value) =>
        FalsePositives.Add((detection.RuleId ?? detection.Type, where, value));

    /// <summary>Summary line, per-rule table and (up to <paramref name="listed"/>) each false positive.</summary>
    public string ToMarkdown(int listed)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{Files} files, {Bytes / 1e6:0.00} MB: {FalsePositives.Count} false positives = {PerTenMegabytes:0.00} per 10 MB; {MegacharsPerSecond:0.0} MB/s (10^6 chars/s, one thread, a single pass that includes JIT warm-up)\n");
        foreach (var changed in Changed)
        {
            builder.Append("changed or missing, not scanned: ").Append(changed).Append('\n');
        }

        if (FalsePositives.Count == 0)
        {
            return builder.ToString();
        }

        var byRule = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (rule, _, _) in FalsePositives)
        {
            byRule[rule] = byRule.GetValueOrDefault(rule) + 1;
        }

        builder.Append("\n| rule | false positives |\n| --- | ---: |\n");
        foreach (var (rule, count) in byRule)
        {
            builder.Append(CultureInfo.InvariantCulture, $"| {rule} | {count} |\n");
        }

        builder.Append('\n');
        foreach (var (rule, where, value) in FalsePositives.Take(listed))
        {
            builder.Append(CultureInfo.InvariantCulture, $"FP {rule} {where}: {value}\n");
        }

        return builder.ToString();
    }
}
