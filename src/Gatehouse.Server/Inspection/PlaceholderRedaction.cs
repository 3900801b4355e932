using System.Text;
using Gatehouse.Inspection;
using Gatehouse.Inspection.Redaction;

namespace Gatehouse.Server.Inspection;

/// <summary>Replaces a verdict's findings in a text by the request's typed placeholders, left to right, skipping overlaps.</summary>
public static class PlaceholderRedaction
{
    /// <summary>The text with each finding replaced; unchanged when there is nothing to replace.</summary>
    public static string Apply(string text, IReadOnlyList<Detection> findings, RedactionSession session)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(session);
        var ordered = new List<Detection>(findings.Count);
        foreach (var finding in findings)
        {
            if (finding.Length > 0 && finding.Start >= 0 && finding.End <= text.Length)
            {
                ordered.Add(finding);
            }
        }

        if (ordered.Count == 0)
        {
            return text;
        }

        ordered.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var finding in ordered)
        {
            if (finding.Start < position)
            {
                continue;
            }

            builder.Append(text, position, finding.Start - position);
            builder.Append(session.PlaceholderFor(finding.Type, text.AsSpan(finding.Start, finding.Length)));
            position = finding.End;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }
}
