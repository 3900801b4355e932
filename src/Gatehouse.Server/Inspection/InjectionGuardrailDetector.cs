using Gatehouse.Inspection;
using Gatehouse.Inspection.Injection;

namespace Gatehouse.Server.Inspection;

/// <summary>A prompt-injection guardrail: direct mode for user text, indirect (per segment) for tool results, with an optional threshold override.</summary>
public sealed class InjectionGuardrailDetector : IGuardrailDetector
{
    private static readonly Lazy<PromptInjectionDetector> Shared = new(() => new PromptInjectionDetector());
    private readonly double? _threshold;

    /// <summary>Creates the guardrail; <paramref name="threshold"/> replaces the model's thresholds when set.</summary>
    public InjectionGuardrailDetector(double? threshold)
    {
        _threshold = threshold;
        Spans = new DirectSpans(this);
    }

    /// <inheritdoc />
    public ITextDetector? Spans { get; }

    /// <inheritdoc />
    public bool IsExternal => false;

    /// <inheritdoc />
    public ValueTask<Verdict> CheckAsync(GuardrailSubject subject, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Check(subject.Text, subject.Mode));

    private Verdict Check(string text, InjectionMode mode)
    {
        var score = Shared.Value.Score(text, mode);
        var threshold = _threshold ?? score.Threshold;
        if (score.Score < threshold)
        {
            return Verdict.Pass;
        }

        var type = mode == InjectionMode.Direct ? "prompt_injection" : "indirect_prompt_injection";
        var finding = new Detection(DetectorNames.PromptInjection, type, score.Start, score.Length, score.Score, score.RuleId ?? "model");
        var reason = FormattableString.Invariant($"{type.Replace('_', ' ')} (score {score.Score:0.00} ≥ {threshold:0.00}{(score.RuleId is null ? string.Empty : ", rule " + score.RuleId)})");
        return Verdict.Violation(reason, score.Score, [finding]);
    }

    /// <summary>The detector as a span detector in direct mode, for streamed answers.</summary>
    private sealed class DirectSpans(InjectionGuardrailDetector owner) : ITextDetector
    {
        public string Name => DetectorNames.PromptInjection;

        public void Detect(ReadOnlySpan<char> text, List<Detection> results)
        {
            results.AddRange(owner.Check(text.ToString(), InjectionMode.Direct).Detections);
        }
    }
}
