using Gatehouse.Inspection;

namespace Gatehouse.Server.Inspection;

/// <summary>A guardrail over an in-process span detector (PII, secrets, content policy): any finding at or above the confidence is a violation.</summary>
public sealed class SpanGuardrailDetector : IGuardrailDetector
{
    private readonly ITextDetector _detector;

    /// <summary>Wraps <paramref name="detector"/>, ignoring findings below <paramref name="minConfidence"/>.</summary>
    public SpanGuardrailDetector(ITextDetector detector, double minConfidence)
    {
        _detector = detector;
        Spans = new ConfidenceFilter(detector, minConfidence);
    }

    /// <inheritdoc />
    public ITextDetector? Spans { get; }

    /// <inheritdoc />
    public bool IsExternal => false;

    /// <inheritdoc />
    public ValueTask<Verdict> CheckAsync(GuardrailSubject subject, CancellationToken cancellationToken)
    {
        var findings = new List<Detection>();
        Spans!.Detect(subject.Text, findings);
        return ValueTask.FromResult(findings.Count == 0 ? Verdict.Pass : Verdict.Violation(Reason(findings), findings[0].Confidence, findings));
    }

    private string Reason(List<Detection> findings)
    {
        var types = new List<string>();
        foreach (var finding in findings)
        {
            if (!types.Contains(finding.Type))
            {
                types.Add(finding.Type);
            }
        }

        return _detector.Name == DetectorNames.ContentPolicy
            ? $"content policy: {string.Join(", ", types)}"
            : $"found {string.Join(", ", types)}";
    }

    /// <summary>Drops findings below the guardrail's confidence.</summary>
    private sealed class ConfidenceFilter(ITextDetector inner, double minConfidence) : ITextDetector
    {
        public string Name => inner.Name;

        public void Detect(ReadOnlySpan<char> text, List<Detection> results)
        {
            var start = results.Count;
            inner.Detect(text, results);
            for (var i = results.Count - 1; i >= start; i--)
            {
                if (results[i].Confidence < minConfidence || results[i].Length == 0)
                {
                    results.RemoveAt(i);
                }
            }
        }
    }
}
