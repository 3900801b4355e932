using Xunit;
using static Gatehouse.Governance.Tests.Policies.PolicyFixtures;

namespace Gatehouse.Governance.Tests.Policies;

public sealed class PolicyDocumentationTests
{
    [Fact]
    public void The_example_policy_file_in_the_docs_loads_and_decides_as_described()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Gatehouse.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        var markdown = File.ReadAllText(Path.Combine(root, "docs", "governance-policies.md"));
        var start = markdown.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];

        var set = Load(yaml);

        Assert.Equal(4, set.Statements.Count);
        Assert.True(set.Evaluate(Request()).Allowed);
        Assert.Equal("denied by policy no-agents-on-gpt4o: agents may not use gpt-4o", set.Evaluate(Request(principal: Bot, ancestors: [Research])).Reason);
        Assert.NotNull(set.Evaluate(Request()).Shadow);
    }
}
