using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel.Internal;
using Gatehouse.Core;

namespace Gatehouse.Governance.Policies;

/// <summary>
/// Walks a parsed CEL condition and reports every variable other than <c>principal</c>, <c>resource</c> and
/// <c>context</c> (and macro variables such as <c>t</c> in <c>tags.exists(t, …)</c>) and every attribute the schema does not declare.
/// </summary>
internal sealed class ConditionReferenceCheck
{
    private static readonly HashSet<string> Macros = new(StringComparer.Ordinal) { "all", "exists", "exists_one", "map", "filter" };
    private static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal)
    {
        "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type",
    };

    private readonly PolicyAttributeSchema _schema;
    private readonly List<ConditionCompiler.Problem> _problems;
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);

    public ConditionReferenceCheck(PolicyAttributeSchema schema, List<ConditionCompiler.Problem> problems)
    {
        _schema = schema;
        _problems = problems;
    }

    public void Check(CelParser.StartContext tree)
    {
        CollectMacroVariables(tree);
        Visit(tree);
    }

    private void CollectMacroVariables(IParseTree node)
    {
        if (node is CelParser.MemberCallContext { id: { } id, args: { } args } && Macros.Contains(id.Text)
            && args.expr().Length > 0 && args.expr()[0].GetText() is { } variable && IsIdentifier(variable))
        {
            _bound.Add(variable);
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            CollectMacroVariables(node.GetChild(i));
        }
    }

    private void Visit(IParseTree node)
    {
        switch (node)
        {
            case CelParser.SelectContext select when RootOf(select) is { } root:
                CheckAttribute(root, select);
                return;
            case CelParser.IdentOrGlobalCallContext { op: null, leadingDot: null, id: { } id }:
                CheckVariable(id);
                break;
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            Visit(node.GetChild(i));
        }
    }

    private static string? RootOf(CelParser.SelectContext select) =>
        select.member() is CelParser.PrimaryExprContext primary
        && primary.primary() is CelParser.IdentOrGlobalCallContext { op: null, leadingDot: null, id: { } id }
        && PolicyAttributeSchema.Roots.Contains(id.Text)
            ? id.Text
            : null;

    private void CheckAttribute(string root, CelParser.SelectContext select)
    {
        var name = select.id.Text;
        if (_schema.TryFind(root, name, out _))
        {
            return;
        }

        var known = new List<string>(_schema.NamesUnder(root));
        var hint = SpellingSuggestion.Closest(name, known);
        Report(select.id, $"unknown attribute '{root}.{name}'{(hint is null ? "." : $"; did you mean '{root}.{hint}'?")} Attributes of {root}: {string.Join(", ", known)}.");
    }

    private void CheckVariable(IToken id)
    {
        var name = id.Text;
        if (PolicyAttributeSchema.Roots.Contains(name) || _bound.Contains(name) || TypeNames.Contains(name))
        {
            return;
        }

        var hint = SpellingSuggestion.Closest(name, PolicyAttributeSchema.Roots);
        Report(id, $"unknown variable '{name}'{(hint is null ? "." : $"; did you mean '{hint}'?")} Conditions read principal.*, resource.* and context.*; strings need quotes.");
    }

    private void Report(IToken token, string message) =>
        _problems.Add(new ConditionCompiler.Problem(token.Line, token.Column, message));

    private static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
