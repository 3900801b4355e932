using Gatehouse.Inspection.Tools;
using Xunit;

namespace Gatehouse.Inspection.Tests.Tools;

public class ToolCallPolicyTests
{
    private static readonly ToolCallPolicy Policy = new(new ToolCallPolicyOptions
    {
        Allowed = ["search_*", "read_file", "http_get"],
        Denied = ["search_internal*"],
        Arguments =
        [
            new ToolArgumentConstraint { Tool = "read_file", Path = "/path", Pattern = "^/srv/docs/[A-Za-z0-9_./-]+$", Required = true },
            new ToolArgumentConstraint { Tool = "http_get", Path = "/url", Schema = """{"type": "string", "pattern": "^https://"}""" },
            new ToolArgumentConstraint { Tool = "search_*", Path = "/options/limit", Schema = """{"type": "integer", "maximum": 50}""" },
        ],
    });

    [Theory]
    [InlineData("search_web", """{"q": "x", "options": {"limit": 10}}""")]
    [InlineData("read_file", """{"path": "/srv/docs/a/b.md"}""")]
    [InlineData("http_get", """{"url": "https://example.com"}""")]
    [InlineData("http_get", "")]
    public void Allows_calls_within_policy(string tool, string arguments) =>
        Assert.Equal(VerdictOutcome.Pass, Policy.Evaluate(tool, arguments).Outcome);

    [Theory]
    [InlineData("delete_file", "{}", "not allowed")]
    [InlineData("search_internal_wiki", "{}", "not allowed")]
    [InlineData("read_file", """{"path": "/etc/passwd"}""", "/path")]
    [InlineData("read_file", "{}", "required")]
    [InlineData("http_get", """{"url": "http://169.254.169.254/"}""", "/url")]
    [InlineData("search_web", """{"options": {"limit": 5000}}""", "/options/limit")]
    [InlineData("read_file", "{not json", "not valid JSON")]
    public void Rejects_calls_outside_policy_with_a_reason(string tool, string arguments, string reason)
    {
        var verdict = Policy.Evaluate(tool, arguments);
        Assert.True(verdict.IsViolation);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("file_?", "file_1", true)]
    [InlineData("file_?", "file_10", false)]
    [InlineData("exact", "Exact", false)]
    public void Glob_matching(string pattern, string name, bool expected) => Assert.Equal(expected, Glob.IsMatch(pattern, name));

    [Fact]
    public void Glob_is_fast_on_adversarial_patterns() =>
        Assert.False(Glob.IsMatch(string.Concat(Enumerable.Repeat("*a", 2000)) + "b", new string('a', 20_000)));
}
