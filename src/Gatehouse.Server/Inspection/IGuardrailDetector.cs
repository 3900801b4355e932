using Gatehouse.Inspection;

namespace Gatehouse.Server.Inspection;

/// <summary>The detector behind a guardrail, compiled once per configuration snapshot and shared by all requests.</summary>
public interface IGuardrailDetector
{
    /// <summary>A span detector for redaction and windowed stream scanning; null for detectors that judge whole texts.</summary>
    ITextDetector? Spans { get; }

    /// <summary>True when the check leaves the process (webhook, LLM judge): it runs under the guardrail's timeout.</summary>
    bool IsExternal { get; }

    /// <summary>Checks one subject; a detector that cannot decide returns <see cref="Verdict.NotScanned"/>.</summary>
    ValueTask<Verdict> CheckAsync(GuardrailSubject subject, CancellationToken cancellationToken);
}
