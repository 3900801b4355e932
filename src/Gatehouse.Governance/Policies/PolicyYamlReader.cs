using Gatehouse.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Governance.Policies;

/// <summary>Reads the YAML nodes of one policy document, collecting every problem with its line and column.</summary>
internal sealed class PolicyYamlReader
{
    private readonly List<PolicyError> _errors;
    private readonly string _text;
    private string[]? _lines;

    public PolicyYamlReader(string file, string text, List<PolicyError> errors)
    {
        File = file;
        _text = text;
        _errors = errors;
    }

    public string File { get; }

    public void Error(YamlNode node, string message) => Error((int)node.Start.Line, (int)node.Start.Column, message);

    public void Error(int line, int column, string message) => _errors.Add(new PolicyError(File, line, column, message));

    /// <summary>The text of a 1-based source line, for mapping positions inside block scalars.</summary>
    public string Line(int line)
    {
        _lines ??= _text.Split('\n');
        return line >= 1 && line <= _lines.Length ? _lines[line - 1] : string.Empty;
    }

    /// <summary>The mapping's entries, reporting keys outside <paramref name="known"/> with a suggestion.</summary>
    public IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlNode node, string what, IReadOnlyList<string> known)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{what} must be a mapping (key: value lines).");
            yield break;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!Contains(known, key))
            {
                var hint = SpellingSuggestion.Closest(key, known);
                Error(keyNode, $"unknown key '{key}' in {what}{(hint is null ? "." : $"; did you mean '{hint}'?")} Known keys: {string.Join(", ", known)}.");
                continue;
            }

            yield return (key, keyNode, value);
        }
    }

    /// <summary>A scalar's text, or null with an error when the node is a list or mapping.</summary>
    public string? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        Error(node, $"{what} must be a single value, not a list or mapping.");
        return null;
    }

    private static bool Contains(IReadOnlyList<string> known, string key)
    {
        foreach (var candidate in known)
        {
            if (string.Equals(candidate, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
