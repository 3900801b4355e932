using System.Text;
using Gatehouse.Inspection.Pii;
using Gatehouse.Inspection.Secrets;

namespace Gatehouse.Inspection.Redaction;

/// <summary>
/// Replaces what detectors find with typed placeholders (<c>[EMAIL_1]</c>, <c>[GITHUB_TOKEN_1]</c>). Overlapping
/// findings are resolved left to right: the earliest start wins, then the higher confidence, then the longer span.
/// Immutable and thread-safe; the per-request numbering lives in a <see cref="RedactionSession"/>.
/// </summary>
public sealed class Redactor
{
    private readonly ITextDetector[] _detectors;
    private readonly double _minimumConfidence;

    /// <summary>Creates a redactor over <paramref name="detectors"/>, ignoring findings below <paramref name="minimumConfidence"/>.</summary>
    public Redactor(IReadOnlyList<ITextDetector> detectors, double minimumConfidence = 0.5)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        _detectors = [.. detectors];
        _minimumConfidence = minimumConfidence;
    }

    /// <summary>A redactor with the built-in PII and secrets detectors.</summary>
    public static Redactor Default { get; } = new([new PiiDetector(), new SecretsDetector()]);

    /// <summary>The text with every finding replaced by its placeholder.</summary>
    public string Redact(string text, RedactionSession session)
    {
        ArgumentNullException.ThrowIfNull(text);
        var findings = Find(text);
        if (findings.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        Append(builder, text, 0, text.Length, findings, 0, session);
        return builder.ToString();
    }

    /// <summary>The non-overlapping findings in <paramref name="text"/>, ordered by start.</summary>
    public List<Detection> Find(ReadOnlySpan<char> text)
    {
        var all = new List<Detection>();
        foreach (var detector in _detectors)
        {
            detector.Detect(text, all);
        }

        all.RemoveAll(d => d.Confidence < _minimumConfidence || d.Length == 0);
        all.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.Confidence != b.Confidence ? b.Confidence.CompareTo(a.Confidence)
            : b.Length.CompareTo(a.Length));
        var kept = new List<Detection>(all.Count);
        var end = 0;
        foreach (var d in all)
        {
            if (d.Start >= end)
            {
                kept.Add(d);
                end = d.End;
            }
        }

        return kept;
    }

    /// <summary>
    /// Appends <c>text[from..to)</c> to <paramref name="builder"/> with findings inside that range replaced; finding
    /// offsets are relative to <paramref name="text"/> shifted by <paramref name="findingOffset"/>.
    /// </summary>
    internal static void Append(StringBuilder builder, ReadOnlySpan<char> text, int from, int to, List<Detection> findings, int findingOffset, RedactionSession session)
    {
        var position = from;
        foreach (var d in findings)
        {
            var start = d.Start - findingOffset;
            var end = d.End - findingOffset;
            if (start < from || end > to)
            {
                continue;
            }

            builder.Append(text[position..start]);
            builder.Append(session.PlaceholderFor(d.Type, text[start..end]));
            position = end;
        }

        builder.Append(text[position..to]);
    }
}
