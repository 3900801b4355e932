using Gatehouse.Inspection.Evaluation;
using Gatehouse.Inspection.Secrets;
using Xunit;

namespace Gatehouse.Inspection.Tests.Secrets;

/// <summary>
/// The detector runs each rule only on the windows around its keywords (<see cref="SecretRule.LookBehind"/>,
/// <see cref="SecretRule.Reach"/>). These tests compare it with running every rule's pattern over the whole text,
/// on texts glued together from the generated dataset, so a window that is too small shows as a missing finding.
/// </summary>
public class SecretsWindowTests
{
    private static readonly List<SpanExample> Samples = SpanDataset.Load(Path.Combine(AppContext.BaseDirectory, "eval", "secrets-generated.jsonl"));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Windowed_rules_find_what_whole_text_matching_finds(int seed)
    {
        var random = new Random(seed);
        var separators = new[] { "\n", " ", "", "\n\n// ---\n", "=", "\"" };
        var text = string.Concat(Enumerable.Range(0, 120).Select(_ => Samples[random.Next(Samples.Count)].Text + separators[random.Next(separators.Length)]));
        var detector = new SecretsDetector(generic: false);
        var found = new List<Detection>();
        detector.Detect(text, found);
        var actual = found.Select(d => (d.RuleId, d.Start, d.Length)).OrderBy(x => x.Start).ThenBy(x => x.RuleId, StringComparer.Ordinal).ToList();
        Assert.Equal(WholeText(text, detector.Rules), actual);
        Assert.True(actual.Count > 50, $"{actual.Count} findings");
    }

    // Every match of every rule over the whole text that contains one of the rule's keywords, with the same filters.
    private static List<(string? RuleId, int Start, int Length)> WholeText(string text, IReadOnlyList<SecretRule> rules)
    {
        var expected = new List<(string?, int, int)>();
        foreach (var rule in rules)
        {
            var comparison = rule.IgnoreCaseKeywords ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            for (var match = rule.Pattern.Match(text); match.Success; match = match.NextMatch())
            {
                if (!rule.Keywords.Any(k => match.Value.Contains(k, comparison)) || (rule.Validator is { } v && !v(text, match.Index, match.Length)))
                {
                    continue;
                }

                var secret = rule.HasSecretGroup ? match.Groups["secret"] : match;
                if (secret.Success && !(rule.HasSecretGroup && SecretValues.IsPlaceholder(secret.ValueSpan, code: false)) && !SecretValues.IsFiller(secret.ValueSpan))
                {
                    expected.Add((rule.Id, secret.Index, secret.Length));
                }
            }
        }

        return [.. expected.OrderBy(x => x.Item2).ThenBy(x => x.Item1, StringComparer.Ordinal)];
    }
}
