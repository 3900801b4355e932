using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Governance.Policies;

/// <summary>Maps a position inside a CEL condition to the line and column of the YAML file it was written in.</summary>
internal static class ConditionPosition
{
    /// <summary>
    /// <paramref name="line"/> is 1-based and <paramref name="column"/> 0-based inside the expression. Exact for plain
    /// and quoted one-line scalars and for block scalars (<c>|</c>, <c>&gt;</c>); approximate after escapes in quoted text.
    /// </summary>
    public static (int Line, int Column) Map(PolicyYamlReader reader, YamlScalarNode node, int line, int column)
    {
        var start = node.Start;
        switch (node.Style)
        {
            case ScalarStyle.Literal or ScalarStyle.Folded:
                // The text starts on the line after the indicator; every content line shares the block's indentation.
                var fileLine = (int)start.Line + line;
                var text = reader.Line(fileLine);
                var indent = text.Length - text.TrimStart(' ').Length;
                return (fileLine, indent + column + 1);
            case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted:
                return line == 1 ? ((int)start.Line, (int)start.Column + 1 + column) : ((int)start.Line + line - 1, column + 1);
            default:
                return line == 1 ? ((int)start.Line, (int)start.Column + column) : ((int)start.Line + line - 1, column + 1);
        }
    }
}
