using System.Text.RegularExpressions;
using Cel;
using Cel.Internal;

namespace Gatehouse.Governance.Policies;

/// <summary>
/// Compiles CEL conditions once per load and checks that they read only declared attributes. Errors carry a position
/// inside the expression (1-based line, 0-based column) that the loader maps to the YAML file.
/// </summary>
internal sealed partial class ConditionCompiler
{
    // One environment for the process: building it registers the well-known protobuf descriptors, which is slow, and
    // the Cel package does not promise that concurrent compiles are safe, so compiles take a lock (loads are rare).
    private static readonly CelEnvironment Environment = new(null, null);
    private static readonly Lock CompileLock = new();

    private readonly PolicyAttributeSchema _schema;

    public ConditionCompiler(PolicyAttributeSchema schema) => _schema = schema;

    /// <summary>A problem in a condition, positioned inside the expression text.</summary>
    public readonly record struct Problem(int Line, int Column, string Message);

    /// <summary>Compiles <paramref name="source"/>; returns null and fills <paramref name="problems"/> when it is invalid.</summary>
    public PolicyCondition? Compile(string source, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            problems.Add(new Problem(1, 0, "'when' is empty: remove it, or write a CEL expression such as context.hour >= 8."));
            return null;
        }

        CelParser.StartContext tree;
        CelProgramDelegate program;
        lock (CompileLock)
        {
            try
            {
                tree = Environment.Parse(source);
                program = Environment.Compile(tree);
            }
            catch (CelException ex)
            {
                problems.Add(SyntaxProblem(ex.Message));
                return null;
            }
        }

        var before = problems.Count;
        new ConditionReferenceCheck(_schema, problems).Check(tree);
        return problems.Count == before ? new PolicyCondition(source, program, FastCondition.TryCompile(source, _schema)) : null;
    }

    private static Problem SyntaxProblem(string message)
    {
        var match = ParserMessage().Match(message);
        if (!match.Success)
        {
            return new Problem(1, 0, $"CEL syntax error: {message}");
        }

        var detail = match.Groups["detail"].Value;
        var expecting = detail.IndexOf(" expecting ", StringComparison.Ordinal);
        if (expecting > 0)
        {
            detail = detail[..expecting];
        }

        return new Problem(
            int.Parse(match.Groups["line"].ValueSpan, provider: null),
            int.Parse(match.Groups["column"].ValueSpan, provider: null),
            $"CEL syntax error: {detail}; check the expression at this point (operators: && || ! == != < <= > >= in, functions: has(), size(), startsWith(), matches()).");
    }

    [GeneratedRegex(@"^Line (?<line>\d+):(?<column>\d+) (?<detail>.*)$", RegexOptions.Singleline)]
    private static partial Regex ParserMessage();
}
