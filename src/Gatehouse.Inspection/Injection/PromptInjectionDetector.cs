using System.Buffers;
using Gatehouse.Inspection.Normalization;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Scores prompt injection and jailbreak attempts: normalization and payload decoding first, then a noisy-or of
/// weighted rules and a logistic-regression model over hashed n-grams. <see cref="InjectionMode.Direct"/> scores the
/// whole text; <see cref="InjectionMode.Indirect"/> scores each segment and takes the maximum.
/// </summary>
public sealed class PromptInjectionDetector : ITextDetector
{
    private readonly InjectionModel _model;
    private readonly InjectionRuleMatcher _rules;

    /// <summary>Creates a detector with <paramref name="model"/> (null: the model shipped in this assembly) and the built-in rules.</summary>
    public PromptInjectionDetector(InjectionModel? model = null, IReadOnlyList<InjectionRule>? rules = null)
    {
        _model = model ?? InjectionModel.Embedded ?? throw new InvalidOperationException("This build ships no injection model; pass one.");
        _rules = new InjectionRuleMatcher(rules ?? InjectionRuleCatalog.All);
    }

    /// <inheritdoc />
    public string Name => DetectorNames.PromptInjection;

    /// <summary>Mode used by <see cref="Detect"/>.</summary>
    public InjectionMode Mode { get; init; } = InjectionMode.Direct;

    /// <summary>Scores <paramref name="text"/> in <paramref name="mode"/>.</summary>
    public InjectionScore Score(string text, InjectionMode mode)
    {
        ArgumentNullException.ThrowIfNull(text);
        return mode == InjectionMode.Direct ? ScoreDirect(text) : ScoreIndirect(PreparedText.Prepare(text), text.Length);
    }

    /// <inheritdoc />
    public void Detect(ReadOnlySpan<char> text, List<Detection> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var score = Score(text.ToString(), Mode);
        if (score.IsAttack)
        {
            results.Add(new Detection(Name, Mode == InjectionMode.Direct ? "prompt_injection" : "indirect_prompt_injection", score.Start, score.Length, score.Score, score.RuleId ?? "model"));
        }
    }

    // The same as PreparedText.Prepare, then the model and the rules on its folded text, with the folded text in a
    // pooled buffer instead of a string.
    private InjectionScore ScoreDirect(string text)
    {
        var combined = PreparedText.WithPayloads(TextNormalizer.Normalize(text));
        var buffer = ArrayPool<char>.Shared.Rent(combined.Length);
        try
        {
            var folded = buffer.AsSpan(0, ScoringFolder.Fold(combined, buffer));
            var model = DirectWindows.Probability(_model.Direct, folded);
            var rule = _rules.Score(folded, out var ruleId);
            return new InjectionScore(PreparedText.Combine(model, rule), _model.DirectThreshold, model, rule, ruleId, 0, text.Length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private InjectionScore ScoreIndirect(PreparedText prepared, int originalLength)
    {
        var best = new InjectionScore(0, _model.IndirectThreshold, 0, 0, null, 0, 0);
        foreach (var (start, length) in Segmenter.Segments(prepared.Combined))
        {
            var folded = ScoringFolder.Fold(prepared.Combined.Substring(start, length));
            var model = FeatureHasher.Probability(_model.Indirect, folded);
            var rule = _rules.Score(folded, out var ruleId);
            var combined = PreparedText.Combine(model, rule);
            if (combined > best.Score)
            {
                var (originalStart, originalLength2) = prepared.ToOriginalSpan(start, length, originalLength);
                best = new InjectionScore(combined, _model.IndirectThreshold, model, rule, ruleId, originalStart, originalLength2);
            }
        }

        return best;
    }
}
