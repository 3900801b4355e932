using System.Text;
using System.Text.Json;
using Gatehouse.Inspection.Secrets;
using Gatehouse.Inspection.Text;
using Xunit;

namespace Gatehouse.Inspection.Tests.Secrets;

/// <summary>
/// Pins the fast paths of the secrets detector to the code they replaced: the placeholder check as one vectorized
/// search against a case-insensitive <c>Contains</c> per word, and the generic confidence with the placeholder check
/// last against the original order, on random strings and on every value of the generated secrets set.
/// </summary>
public class SecretsFastPathTests
{
    // Word pieces, case variants and the non-ASCII characters whose case folding differs (long s, Kelvin sign, dotted I).
    private static readonly string[] Pieces =
    [
        "pass", "word", "PASS", "Wd", "secr", "ET", "change", "me", "_", "exam", "PLE", "your", "red", "act", "ed", "dum", "my",
        "samp", "le", "x", "X", "*", ".", "<", ">", "$", "{", "}", "%", "(", ")", "env", ":", "process", "os", "environ", "get",
        "null", "NONE", "undef", "ined", "to", "do", "fix", "ME", "ſ", "\u212A", "İ", "ı", "a", "Z", "0", "9", "+", "/", "=", "-",
    ];

    [Fact]
    public void Placeholder_search_is_a_contains_per_word_on_random_strings()
    {
        var random = new Random(20261126);
        for (var i = 0; i < 200_000; i++)
        {
            var value = RandomValue(random);
            Assert.True(OldContainsWord(value) == ContainsWord(value), value);
        }
    }

    [Fact]
    public void Generic_confidence_is_the_original_on_random_strings_and_the_eval_values()
    {
        var random = new Random(7);
        foreach (var value in Enumerable.Range(0, 200_000).Select(_ => RandomValue(random)).Concat(EvalValues()))
        {
            foreach (var password in new[] { false, true })
            {
                Assert.Equal(OldGenericConfidence(value, password), SecretsDetector.GenericConfidence(value, password));
            }
        }
    }

    private static string RandomValue(Random random)
    {
        var builder = new StringBuilder();
        var parts = random.Next(1, 12);
        for (var p = 0; p < parts; p++)
        {
            builder.Append(random.Next(3) == 0 ? (char)random.Next(33, 127) : Pieces[random.Next(Pieces.Length)]);
        }

        return builder.ToString();
    }

    // Every whitespace-separated token of the generated secrets set, and its credential spans.
    private static IEnumerable<string> EvalValues()
    {
        var path = Path.Combine(SecretsDetectorTests.RepoRoot(), "eval", "secrets-generated.jsonl");
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            var item = JsonDocument.Parse(line).RootElement;
            var text = item.GetProperty("text").GetString()!;
            foreach (var token in text.Split([' ', '\n', '"', '\''], StringSplitOptions.RemoveEmptyEntries))
            {
                yield return token;
            }

            foreach (var span in item.GetProperty("spans").EnumerateArray())
            {
                yield return text.Substring(span.GetProperty("start").GetInt32(), span.GetProperty("length").GetInt32());
            }
        }
    }

    // With "ab" in front and code off, a word is IsPlaceholder's only reason (not short, not one repeated character,
    // no leading $, % or @).
    private static bool ContainsWord(string value) => SecretValues.IsPlaceholder("ab" + value, code: false);

    private static bool OldContainsWord(string value) => SecretValues.PlaceholderWords.Any(w => ("ab" + value).Contains(w, StringComparison.OrdinalIgnoreCase));

    private static readonly System.Buffers.SearchValues<char> AlphaNumeric = System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    // SecretsDetector.GenericConfidence as it was before the placeholder check moved last.
    private static double OldGenericConfidence(ReadOnlySpan<char> value, bool isPassword)
    {
        if (value.Length < 8 || SecretValues.IsPlaceholder(value))
        {
            return 0;
        }

        var digits = value.IndexOfAnyInRange('0', '9') >= 0;
        var upper = value.IndexOfAnyInRange('A', 'Z') >= 0;
        var lower = value.IndexOfAnyInRange('a', 'z') >= 0;
        var symbols = value.IndexOfAnyExcept(AlphaNumeric) >= 0;
        var classes = (digits ? 1 : 0) + (upper ? 1 : 0) + (lower ? 1 : 0) + (symbols ? 1 : 0);
        var entropy = ShannonEntropy.Of(value);
        if (!value.ContainsAnyExcept(Hex))
        {
            return value.Length >= 20 && entropy >= 3.0 ? 0.7 : 0;
        }

        if (isPassword && digits && classes >= 3 && entropy >= 2.5)
        {
            return 0.65;
        }

        return value.Length >= 16 && classes >= 2 && digits && entropy >= 3.5 ? Math.Min(0.9, 0.5 + ((entropy - 3.5) / 2)) : 0;
    }
}
