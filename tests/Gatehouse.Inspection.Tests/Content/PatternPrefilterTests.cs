using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Inspection.Content;
using Xunit;

namespace Gatehouse.Inspection.Tests.Content;

public class PatternPrefilterTests
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private static readonly string[] Patterns =
    [
        @"\bhow to (?:make|build) (?:a )?(?:bomb|pipe bomb)\b",
        @"\bkill (?:yourself|urself)\b",
        @"kiss+ me",
        @"ab\.c\d",
        @"^skip this",
        @"\bticket-\d{4}\b",
        @"xyz?w",
        @"kak[a-z]k",
        @"(?:ab)cd|kk",
        @"tok(?i:en)s*",
        @"\Bing\b",
    ];

    [Fact]
    public void The_only_non_ascii_char_the_patterns_match_to_an_ascii_char_is_the_kelvin_sign()
    {
        var ascii = new Regex(@"[\x00-\x7F]", Options);
        var found = new StringBuilder();
        for (var c = 128; c <= char.MaxValue; c++)
        {
            if (ascii.IsMatch(((char)c).ToString()))
            {
                found.Append((char)c);
            }
        }

        Assert.Equal(PatternPrefilter.AsciiLookalikes, found.ToString());
    }

    [Theory]
    [InlineData(@"\bhow to (?:make|build) (?:a )?(?:bomb|pipe bomb)\b", "how to ")]
    [InlineData(@"\bkill (?:yourself|urself)\b", "kill ")]
    [InlineData(@"^\bab\.c\d", "ab.c")]
    [InlineData(@"abcd*", "abc")]
    [InlineData(@"abcd{2}", "abc")]
    [InlineData(@"abcd?", "abc")]
    [InlineData(@"abc[|]d", "abc")]
    [InlineData(@"abc(?:x|y)", "abc")]
    [InlineData(@"\Aticket-\d{4}", "ticket-")]
    public void Takes_the_literal_every_match_starts_with(string pattern, string literal) =>
        Assert.Equal(literal, PatternPrefilter.For(pattern)?.Literal);

    [Theory]
    [InlineData(@"abc|def")]
    [InlineData(@"abc\|d|e")]
    [InlineData(@"ab+c")]
    [InlineData(@"(?:x)abc")]
    [InlineData(@"\dabc")]
    [InlineData(@"abc # comment")]
    [InlineData(@"[abc]def")]
    [InlineData(@".abc")]
    public void Has_no_literal_when_a_match_need_not_start_with_one(string pattern) =>
        Assert.Null(PatternPrefilter.For(pattern));

    [Fact]
    public void Detections_are_those_of_the_patterns_run_on_every_text()
    {
        var policy = new ContentPolicyDetector(new ContentPolicyOptions { Patterns = Patterns });
        var regexes = Patterns.Select(p => new Regex(p, Options)).ToArray();
        var random = new Random(20261126);
        var matched = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var text = RandomText(random);
            var expected = new List<Detection>();
            for (var i = 0; i < regexes.Length; i++)
            {
                foreach (var match in regexes[i].EnumerateMatches(text))
                {
                    expected.Add(new Detection(DetectorNames.ContentPolicy, ContentPolicyDetector.PatternType, match.Index, match.Length, 1, $"pattern-{i}"));
                }
            }

            var actual = new List<Detection>();
            policy.Detect(text, actual);
            Assert.Equal(expected, actual);
            matched += expected.Count > 0 ? 1 : 0;
        }

        // The texts exercise both sides: many match, many do not.
        Assert.InRange(matched, 2_000, 18_000);
    }

    // Pieces of the patterns' literals in random case (sometimes with the Kelvin sign for k), among random letters,
    // digits, spaces, punctuation and non-ASCII characters.
    private static string RandomText(Random random)
    {
        string[] pieces = ["how to ", "make ", "build ", "a ", "bomb", "pipe bomb", "kill ", "yourself", "urself", "kiss", "s", " me",
            "ab.c", "ab", "cd", "skip this", "ticket-", "1234", "xyz", "xy", "w", "kak", "k", "kk", "tok", "en", "ing", " ", "\n"];
        const string noise = "abcdefghijklmnopqrstuvwxyz0123456789 .-,\u00B5\u0131\u0130\u017F\u212A\u00E9";
        var text = new StringBuilder();
        var count = random.Next(1, 12);
        for (var i = 0; i < count; i++)
        {
            if (random.Next(3) == 0)
            {
                text.Append(noise[random.Next(noise.Length)]);
                continue;
            }

            foreach (var c in pieces[random.Next(pieces.Length)])
            {
                var r = random.Next(10);
                text.Append(c is 'k' && r == 0 ? '\u212A' : r < 4 ? char.ToUpperInvariant(c) : c);
            }
        }

        return text.ToString();
    }
}
